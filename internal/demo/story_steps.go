package demo

import (
	"fmt"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/mail"
)

// identifyAndSelect is steps 1 and 2: the groups the project affects, and
// a lay partner from each group it includes. Both steps are signed off.
func (s *story) identifyAndSelect() {
	groups := []coproduce.GroupInput{
		{Name: "People who have had a stroke", Description: "Adults home from hospital in the last twelve weeks.",
			Affected: coproduce.AffectedDirectly, Reach: "Through the ward and the stroke club.", Included: "yes"},
		{Name: "Carers and families", Description: "The people who help with exercises and daily life.",
			Affected: coproduce.AffectedDirectly, Reach: "Through the carers' centre.", Included: "yes"},
		{Name: "Welsh speakers", Description: "People who would rather take part in Welsh.",
			Affected: coproduce.AffectedDirectly, Reach: "Through Siân's community group.", Included: "yes"},
		{Name: "GP practices", Description: "They refer people and see them afterwards.",
			Affected: coproduce.AffectedIndirectly, Included: "no",
			ExclusionReason: "We will share what we learn with them instead; they have told us they cannot give time this year."},
	}
	// Who came from each included group, in the order above.
	from := []int64{s.margaret, s.david, s.sian}
	var groupIDs []int64
	s.do(func() error {
		for _, g := range groups {
			made, err := s.store.CreateGroup(s.ctx, s.aisha, s.project, g)
			if err != nil {
				return err
			}
			groupIDs = append(groupIDs, made.ID)
		}
		return nil
	})
	s.signOff(coproduce.StepIdentify, 38, s.aisha, s.margaret)
	s.do(func() error {
		for i, member := range from {
			if err := s.store.RecordGroupInvitation(s.ctx, s.aisha, s.project, groupIDs[i], member); err != nil {
				return err
			}
		}
		return nil
	})
	s.signOff(coproduce.StepSelect, 36, s.aisha, s.david)
}

// purposeV1 is the purpose statement agreed in the first weeks.
var purposeV1 = coproduce.PurposeInput{
	Purpose:          "To redesign rehabilitation at home in the first twelve weeks after a stroke, with the people who use it.",
	Expectations:     "One two-hour workshop a month for six months, at the stroke club or online, and some reading between workshops.",
	Fixed:            "The budget for the community stroke team stays the same, and visits must meet national guidance.",
	OpenToChange:     "When and how visits happen, how exercises are explained, and what help carers get.",
	ContributionsUse: "Every idea is answered in writing within four weeks, with what we will do and why.",
	ExpensesPolicy:   "Travel, parking and carer costs are paid back. We will write here how lay partners are paid for their time.",

	PurposeCy:          "Ailgynllunio adsefydlu gartref yn ystod y deuddeg wythnos gyntaf ar ôl strôc, gyda'r bobl sy'n ei ddefnyddio.",
	ExpectationsCy:     "Un gweithdy dwy awr bob mis am chwe mis, yn y clwb strôc neu ar-lein, a rhywfaint o ddarllen rhwng gweithdai.",
	FixedCy:            "Mae'r gyllideb ar gyfer y tîm strôc cymunedol yn aros yr un fath, ac mae'n rhaid i ymweliadau ddilyn canllawiau cenedlaethol.",
	OpenToChangeCy:     "Pryd a sut mae ymweliadau'n digwydd, sut mae ymarferion yn cael eu hesbonio, a pha help mae gofalwyr yn ei gael.",
	ContributionsUseCy: "Mae pob syniad yn cael ateb ysgrifenedig o fewn pedair wythnos, gyda'r hyn y byddwn ni'n ei wneud a pham.",
	ExpensesPolicyCy:   "Mae costau teithio, parcio a gofalwyr yn cael eu had-dalu. Byddwn ni'n ysgrifennu yma sut mae partneriaid lleyg yn cael eu talu am eu hamser.",
}

// beClear is step 3 as first agreed: the statement, read by Aisha and two
// lay partners, and signed off by Aisha and Margaret.
func (s *story) beClear() {
	s.do(func() error {
		version, err := s.store.CreatePurposeVersion(s.ctx, s.aisha, s.project, purposeV1)
		if err != nil {
			return err
		}
		for _, id := range []int64{s.aisha, s.margaret, s.david} {
			if err := s.store.AcknowledgePurpose(s.ctx, s.project, id, version); err != nil {
				return err
			}
		}
		return s.store.BackdatePurposeVersion(s.ctx, s.project, version, 35)
	})
	s.signOff(coproduce.StepBeClear, 34, s.aisha, s.margaret)
}

// purposeChanged is the second version of the statement, written two
// weeks ago, after David asked at the first workshop whether payments
// would touch his Carer's Allowance. It says what the rates and the lay
// partners' payment level pay. A new version takes step 3 back to in
// progress: Aisha has signed it off again, David has read it too, and it
// waits for a lay partner to co-sign.
func (s *story) purposeChanged() {
	s.do(func() error {
		rates, err := s.store.Rates(s.ctx)
		if err != nil {
			return err
		}
		v2 := purposeV1
		v2.BaseVersion = 1
		v2.ExpensesPolicy = fmt.Sprintf("Everyone is paid back for travel (%s a mile by car), parking and carer costs. "+
			"Lay partners are also paid for their time at workshops: %s for a workshop of up to three hours, %s for a longer one. "+
			"You can choose not to be paid: payments can affect benefits, so talk to us or Citizens Advice first.",
			rates[coproduce.MileageCar], rates[coproduce.PaymentShort], rates[coproduce.PaymentLong])
		v2.ExpensesPolicyCy = fmt.Sprintf("Mae pawb yn cael costau teithio (%s y filltir mewn car), parcio a gofalwyr yn ôl. "+
			"Mae partneriaid lleyg hefyd yn cael eu talu am eu hamser mewn gweithdai: %s am weithdy o hyd at dair awr, %s am un hirach. "+
			"Gallwch chi ddewis peidio â chael eich talu: gall taliadau effeithio ar fudd-daliadau, felly siaradwch â ni neu Cyngor ar Bopeth yn gyntaf.",
			rates[coproduce.MileageCar], rates[coproduce.PaymentShort], rates[coproduce.PaymentLong])
		version, err := s.store.CreatePurposeVersion(s.ctx, s.aisha, s.project, v2,
			mail.PurposeChanged(s.news, s.inProject, s.user(s.aisha)))
		if err != nil {
			return err
		}
		for _, id := range []int64{s.aisha, s.david} {
			if err := s.store.AcknowledgePurpose(s.ctx, s.project, id, version); err != nil {
				return err
			}
		}
		return s.store.BackdatePurposeVersion(s.ctx, s.project, version, 14)
	})
	s.signOff(coproduce.StepBeClear, 14, s.aisha)
}

// choose is step 4: the approach, signed off by Aisha and David.
func (s *story) choose() {
	s.do(func() error {
		return s.store.SaveApproach(s.ctx, s.aisha, s.project, coproduce.ApproachInput{
			Level: coproduce.LevelCoDesign, LevelRationale: "Partners design the new visits with the team; the board funds them.",
			Stage: "co_design", StageRationale: "The service exists; we are changing how it works.",
			Scope: "system", ScopeRationale: "It is about how the whole home service runs.",
			Methods: map[coproduce.Method]string{
				"workshop":          "Hands-on sessions suit people who find long meetings tiring.",
				"online_discussion": "People can join in between workshops, at their own pace.",
			},
		})
	})
	s.signOff(coproduce.StepChoose, 30, s.aisha, s.david)
}
