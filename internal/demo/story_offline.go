package demo

import (
	"github.com/coproduce/coproduce/internal/coproduce"
)

// Offline are the demo's people who take part without email: they have no
// account to sign in with, so the sign-in list names them apart, with who
// to sign in as to see them.
var Offline = []Person{
	{"Dorothy Price", "", coproduce.RolePartner, "cli.demo.person.dorothy_price"},
}

// dorothy is a lay partner (a stroke survivor's wife) with no email
// address: Tom Evans added her after a phone call in which she agreed to
// take part, and she takes part by phone. Her facilitator prints her letter
// (with a code to join online later, if she wishes) from the members page.
func (s *story) offlineMembers() {
	s.do(func() error {
		members, err := s.store.Members(s.ctx, s.project)
		if err != nil {
			return err
		}
		for _, m := range members {
			if m.Name == Offline[0].Name {
				return nil
			}
		}
		id, err := s.store.AddOfflineMember(s.ctx, s.tom, s.project, coproduce.OfflineMember{
			Name: Offline[0].Name, Role: coproduce.RoleLayPartner, Agreed: coproduce.ContactPhone, Confirm: true,
			Contact: coproduce.MemberContact{Way: coproduce.ContactPhone, Phone: "01632 960 472",
				Address: "14 Heol y Nant\nCardiff\nCF14 6AB"},
		})
		if err != nil {
			return err
		}
		// Paid for her time, as every lay partner here (the purpose
		// statement says so).
		return s.store.SetPaymentLevel(s.ctx, s.aisha, s.project, id, 3)
	})
}
