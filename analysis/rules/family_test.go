package rules

import (
	"strings"
	"testing"
)

// testSecretLiteral stands in for the secrets detector in the model tests:
// literals shaped like AWS access key ids.
func testSecretLiteral(s string) bool {
	return len(s) == 20 && strings.HasPrefix(s, "AKIA") && strings.ToUpper(s) == s
}

func TestExposure(t *testing.T) {
	wantSuite{fam: Exposure, dir: "testdata/exposure", exact: true}.run(t)
}
func TestExecution(t *testing.T) {
	wantSuite{fam: Execution, dir: "testdata/execution", exact: true}.run(t)
}
