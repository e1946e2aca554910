package coproduce_test

import (
	"testing"

	"github.com/coproduce/coproduce/internal/coproduce"
)

func TestNamerScrubsNamesFromFreeText(t *testing.T) {
	t.Parallel()
	members := []coproduce.ReportMember{
		{UserID: 1, Name: "Aisha Khan", Role: coproduce.RoleLead, Named: true, PseudonymRole: coproduce.RoleLead, Pseudonym: 1},
		{UserID: 2, Name: "Dr Priya Patel", Role: coproduce.RoleStaffPartner, Named: false, PseudonymRole: coproduce.RoleStaffPartner, Pseudonym: 1},
		{UserID: 3, Name: "Margaret Jones", Role: coproduce.RoleLayPartner, PseudonymRole: coproduce.RoleLayPartner, Pseudonym: 1},
		{UserID: 4, Name: "David Okafor", Role: coproduce.RoleLayPartner, PseudonymRole: coproduce.RoleLayPartner, Pseudonym: 2},
		{UserID: 5, Name: "Siân O'Neill", Role: coproduce.RoleFacilitator, PseudonymRole: coproduce.RoleLayPartner, Pseudonym: 3},
		{UserID: 6, Name: "Will Evans", Role: coproduce.RoleLayPartner, PseudonymRole: coproduce.RoleLayPartner, Pseudonym: 4},
		{UserID: 7, Name: "David Brown", Role: coproduce.RoleStaffPartner, Named: true, PseudonymRole: coproduce.RoleStaffPartner, Pseudonym: 2},
		{UserID: 8, Name: "Former participant", Role: coproduce.RoleLayPartner, Erased: true, PseudonymRole: coproduce.RoleLayPartner, Pseudonym: 5},
	}
	words := map[coproduce.ProjectRole]string{coproduce.RoleLead: "Lead", coproduce.RoleFacilitator: "Facilitator",
		coproduce.RoleLayPartner: "Lay partner", coproduce.RoleStaffPartner: "Staff partner"}
	n := coproduce.NewNamer(members, func(r coproduce.ProjectRole) string { return words[r] }, "Former participant")
	n.Ambiguous = "a member"
	for _, c := range []struct{ in, want string }{
		{"Priya will write the new sheets with Margaret and Okafor", "Staff partner 1 will write the new sheets with Lay partner 1 and Okafor"},
		{"Dr Patel and dr. priya patel and PRIYA PATEL and Dr Priya Patel.", "Staff partner 1 and Staff partner 1 and Staff partner 1 and Staff partner 1."},
		{"Mrs Jones said (margaret jones agreed); Margaret\nJones too.", "Lay partner 1 said (Lay partner 1 agreed); Lay partner 1 too."},
		{"Ask Siân O’Neill or siân", "Ask Lay partner 3 or Lay partner 3"},
		// A name typed without its accents, or with others, is the same name.
		{"Sian and SIAN O'NEILL and Sìan", "Lay partner 3 and Lay partner 3 and Lay partner 3"},
		{"We will ask Will Evans; Will said yes", "We will ask Lay partner 4; Lay partner 4 said yes"},
		{"Margaretta, Jonesy, Priyanka and Khan stay", "Margaretta, Jonesy, Priyanka and Khan stay"},
		{"Aisha Khan leads", "Aisha Khan leads"},
		// Two Davids, one named: the name could be the unnamed one.
		{"David will come", "a member will come"},
		{"David Okafor and David Brown", "Lay partner 2 and David Brown"},
		{"Patel alone is not taken as a name", "Patel alone is not taken as a name"},
		{"Margaret's idea and Dr. Patel’s sheets", "Lay partner 1's idea and Staff partner 1’s sheets"},
		{"Dr Who and Mr Margaret", "Dr Who and Lay partner 1"},
		{"Margaret-led and Jones", "Margaret-led and Jones"},
	} {
		if got := n.Scrub(c.in); got != c.want {
			t.Errorf("Scrub(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
	if got := n.Label(8); got != "Former participant" {
		t.Errorf("erased: %q", got)
	}
	if got := n.Label(5); got != "Lay partner 3" {
		t.Errorf("a lay partner made facilitator keeps their pseudonym: %q", got)
	}
	n.NameNobody = true
	if got := coproduce.NewNamer(members, func(r coproduce.ProjectRole) string { return words[r] }, "Former participant"); got.Label(1) != "Aisha Khan" {
		t.Error("the lead is not named")
	}
	pub := coproduce.NewNamer(members, func(r coproduce.ProjectRole) string { return words[r] }, "Former participant")
	pub.NameNobody = true
	if got := pub.Scrub("Aisha Khan and David Brown"); got != "Lead 1 and Staff partner 2" {
		t.Errorf("public: %q", got)
	}
}
