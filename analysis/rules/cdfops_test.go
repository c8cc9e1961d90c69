package rules

import (
	"testing"

	"github.com/cdf-preflight/preflight/analysis/policy"
)

func TestCDFOps(t *testing.T) {
	wantSuite{fam: CDFOps, dir: "testdata/cdfops", pol: policy.Default(), exact: true}.run(t)
}
