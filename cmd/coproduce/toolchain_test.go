package main

import (
	"go/version"
	"runtime"
	"testing"
)

// approvedGo is the release the Makefile, go.mod's toolchain line and the
// Dockerfile name: older ones have standard-library vulnerabilities our code
// reaches (see docs/operations.md).
const approvedGo = "go1.27.3"

// A Go set to GOTOOLCHAIN=local ignores go.mod's toolchain line and builds
// with itself; the tests then say so instead of passing on a vulnerable
// standard library.
func TestBuiltWithTheApprovedGo(t *testing.T) {
	if version.Compare(runtime.Version(), approvedGo) < 0 {
		t.Fatalf("built with %s; build with %s or later: use make, or export GOTOOLCHAIN=%s",
			runtime.Version(), approvedGo, approvedGo)
	}
}
