package coproduce

import (
	"reflect"
	"slices"
	"testing"
)

// everyNeed is a support profile with every yes/no field on and every
// field of words filled, set field by field so that a need added to the
// profile later is on too without this test knowing of it.
func everyNeed() SupportProfile {
	var p SupportProfile
	v := reflect.ValueOf(&p).Elem()
	for i := range v.NumField() {
		switch f := v.Field(i); f.Kind() {
		case reflect.Bool:
			f.SetBool(true)
		case reflect.String:
			f.SetString("x")
		}
	}
	return p
}

// Reports count members by NeedKinds: a need the support form records
// (one Needs can return) that is not among them would never be counted,
// and a kind that Needs never returns would always count nothing.
func TestNeedKindsAreEveryNeedTheProfileRecords(t *testing.T) {
	needs := everyNeed().Needs()
	for _, n := range needs {
		if !slices.Contains(NeedKinds, n) {
			t.Errorf("NeedKinds lacks %q, which Needs returns: reports would not count it", n)
		}
	}
	for i, k := range NeedKinds {
		if !slices.Contains(needs, k) {
			t.Errorf("NeedKinds has %q, which Needs never returns", k)
		}
		if slices.Contains(NeedKinds[:i], k) {
			t.Errorf("NeedKinds has %q twice", k)
		}
	}
}
