package kmstrailtest_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// goCommand returns the go command; -short skips the tests that need it:
// they build modules, which takes time.
func goCommand(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds modules with the go command: skipped with -short")
	}
	gobin, err := exec.LookPath("go")
	require.NoError(t, err, "the go command, to build modules with, is not on PATH")
	return gobin
}

// raceEnabled reports a test binary built with -race (race_test.go).
var raceEnabled bool

// offline is the environment of the go commands these tests run: the
// module cache only (the main module's tests already need everything), no
// workspace, the local toolchain, and -race when these tests have it, so
// that the builds reuse the packages compiled for them.
func offline() []string {
	flags := "-mod=mod"
	if raceEnabled {
		flags += " -race"
	}
	return append(os.Environ(), "GOWORK=off", "GOFLAGS="+flags, "GOPROXY=off", "GOSUMDB=off", "GOTOOLCHAIN=local")
}

// TestConsumerModule is the acceptance test of the kit (issue 16): a module
// outside the repository, whose go.mod replaces kmstrail with this
// repository, builds an ImportKeyMaterial event with kmstrailtest.KMS and
// kmstrail.TimeOf, writes it with kmstrailtest.LogFile, and reads it back
// with the library and with the command (testdata/consumer).
func TestConsumerModule(t *testing.T) {
	gobin := goCommand(t)
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	dir := t.TempDir()
	goMod := "module example.com/consumer\n\ngo 1.26\n\n" +
		"require github.com/kmstrail/kmstrail v0.0.0\n\n" +
		"replace github.com/kmstrail/kmstrail => " + filepath.ToSlash(root) + "\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte(goMod), 0o644))
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644))
	src, err := os.ReadFile(filepath.Join("testdata", "consumer", "consumer_test.go"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "consumer_test.go"), src, 0o644))

	cmd := exec.Command(gobin, "test", "-count=1", "-v", ".")
	cmd.Dir = dir
	cmd.Env = offline()
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go test in the consumer module:\n%s", out)
	assert.Contains(t, string(out), "--- PASS: TestImportKeyMaterial")
}

// TestProductionDeps checks that kmstrail and its command do not link the
// kit, testify or the testing package: the kit is for users' tests only.
func TestProductionDeps(t *testing.T) {
	gobin := goCommand(t)
	cmd := exec.Command(gobin, "list", "-deps", "github.com/kmstrail/kmstrail", "github.com/kmstrail/kmstrail/cmd/kmstrail")
	cmd.Env = offline()
	out, err := cmd.Output()
	require.NoError(t, err)
	for dep := range strings.Lines(string(out)) {
		dep = strings.TrimSpace(dep)
		assert.False(t, dep == "testing" || strings.HasPrefix(dep, "github.com/stretchr/") || strings.HasSuffix(dep, "/kmstrailtest"),
			"production code depends on %s", dep)
	}
}
