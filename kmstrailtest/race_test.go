//go:build race

package kmstrailtest_test

func init() { raceEnabled = true }
