module github.com/kmstrail/kmstrail

go 1.26

require (
	github.com/aws/aws-sdk-go-v2 v1.48.0
	github.com/aws/aws-sdk-go-v2/service/kms v1.62.6
	github.com/go-json-experiment/json v1.27.2
)

require github.com/aws/smithy-go v1.28.9 // indirect
