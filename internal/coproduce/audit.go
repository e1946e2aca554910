package coproduce

import "time"

// AuditEvent is one entry in the append-only record of who changed what.
// Before and After are marshalled to JSON; they hold the changed fields,
// never passwords or tokens.
type AuditEvent struct {
	ID        int64
	At        time.Time
	ActorID   int64
	ActorName string
	ProjectID int64
	// ProjectTitle is filled when events are listed across projects.
	ProjectTitle string
	Action       string
	Subject      string
	// SubjectName names the person an event is about, when it is one.
	SubjectName string
	Before      any
	After       any
	// InvitedBy and InvitedAt, for a sign-off, are who invited or added the
	// signer into the project, and when.
	InvitedBy string
	InvitedAt *time.Time
}

// The audit actions. Each has a message "audit.action.<action>" that says
// in plain words what happened.
const (
	AuditProjectCreate        = "project.create"
	AuditProjectUpdate        = "project.update"
	AuditMembershipAdd        = "membership.add"
	AuditMembershipRole       = "membership.role"
	AuditMembershipRemove     = "membership.remove"
	AuditMembershipLeave      = "membership.leave"
	AuditUserDisable          = "user.disable"
	AuditUserEnable           = "user.enable"
	AuditStageStatus          = "stage.status"
	AuditStageNotes           = "stage.notes"
	AuditStageSignOff         = "stage.sign_off"
	AuditStageReset           = "stage.reset"
	AuditGroupAdd             = "group.add"
	AuditGroupUpdate          = "group.update"
	AuditGroupRemove          = "group.remove"
	AuditPurposeVersion       = "purpose.version"
	AuditPurposeAcknowledge   = "purpose.acknowledge"
	AuditApproachUpdate       = "approach.update"
	AuditInvolvementSet       = "involvement.set"
	AuditFourRsUpdate         = "four_rs.update"
	AuditFourRsAcknowledge    = "four_rs.acknowledge"
	AuditExport               = "audit.export"
	AuditInvitationSend       = "invitation.send"
	AuditInvitationResend     = "invitation.resend"
	AuditInvitationWithdraw   = "invitation.withdraw"
	AuditInvitationAccept     = "invitation.accept"
	AuditInvitationDecline    = "invitation.decline"
	AuditProposalCreate       = "proposal.create"
	AuditProposalRespond      = "proposal.respond"
	AuditCommentHide          = "comment.hide"
	AuditActionAdd            = "action.add"
	AuditActionStatus         = "action.status"
	AuditAgreementAcknowledge = "agreement.acknowledge"
	AuditSupportRead          = "support.read"
	AuditSupportSave          = "support.save"
	AuditSupportCopy          = "support.copy"
	AuditUserRole             = "user.role"
	AuditBuddySet             = "buddy.set"
	AuditMeetingCreate        = "meeting.create"
	AuditMeetingAttendance    = "meeting.attendance"
	AuditRatesUpdate          = "rates.update"
	AuditPaymentLevel         = "payment.level"
	AuditPaymentChoice        = "payment.choice"
	AuditClaimSubmit          = "claim.submit"
	AuditClaimDecide          = "claim.decide"
	AuditPublish              = "project.publish"
	AuditDataDownload         = "data.download"
	AuditUserErase            = "user.erase"
	AuditApproverAdd          = "approver.add"
	AuditApproverRemove       = "approver.remove"
	AuditOutboxRead           = "outbox.read"
	AuditProposalAnswerChange = "proposal.answer_change"
	AuditProposalWithdraw     = "proposal.withdraw"
	AuditCommentShow          = "comment.show"
	AuditPaperAdd             = "paper.add"
	AuditPaperRemove          = "paper.remove"
	AuditPapersDue            = "meeting.papers_due"
	AuditRecordOnBehalf       = "on_behalf.record"
	AuditArrangementSave      = "meeting.arrangements"
)

// AuditActions lists every action, for filters and for checking that each
// has a message.
var AuditActions = []string{
	AuditProjectCreate, AuditProjectUpdate, AuditMembershipAdd, AuditUserDisable, AuditUserEnable,
	AuditStageStatus, AuditStageNotes, AuditStageSignOff, AuditStageReset,
	AuditGroupAdd, AuditGroupUpdate, AuditGroupRemove,
	AuditPurposeVersion, AuditPurposeAcknowledge, AuditApproachUpdate, AuditInvolvementSet,
	AuditFourRsUpdate, AuditFourRsAcknowledge, AuditExport,
	AuditInvitationSend, AuditInvitationResend, AuditInvitationWithdraw, AuditInvitationAccept, AuditInvitationDecline,
	AuditProposalCreate, AuditProposalRespond, AuditCommentHide, AuditActionAdd, AuditActionStatus,
	AuditAgreementAcknowledge, AuditSupportRead, AuditSupportSave, AuditSupportCopy, AuditUserRole, AuditBuddySet, AuditMeetingCreate, AuditMeetingAttendance,
	AuditRatesUpdate, AuditPaymentLevel, AuditPaymentChoice, AuditClaimSubmit, AuditClaimDecide,
	AuditPublish, AuditDataDownload, AuditUserErase,
	AuditApproverAdd, AuditApproverRemove, AuditOutboxRead,
	AuditMembershipRole, AuditMembershipRemove, AuditMembershipLeave,
	AuditProposalAnswerChange, AuditProposalWithdraw, AuditCommentShow,
	AuditPaperAdd, AuditPaperRemove, AuditPapersDue,
	AuditRecordOnBehalf, AuditArrangementSave,
}

// AuditFilter narrows a listing of audit events. Zero fields do not filter.
type AuditFilter struct {
	ProjectID int64
	ActorID   int64
	From      time.Time // inclusive
	To        time.Time // exclusive
	Limit     int
}
