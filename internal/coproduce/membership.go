package coproduce

import "time"

// ProjectRole is what a member does in one project.
type ProjectRole string

// The project roles.
const (
	RoleLead         ProjectRole = "lead"
	RoleFacilitator  ProjectRole = "facilitator"
	RoleLayPartner   ProjectRole = "lay_partner"
	RoleStaffPartner ProjectRole = "staff_partner"
)

// ProjectRoles lists the roles in the order they are offered.
var ProjectRoles = []ProjectRole{RoleLead, RoleFacilitator, RoleLayPartner, RoleStaffPartner}

// Valid reports whether r is one of the project roles.
func (r ProjectRole) Valid() bool {
	switch r {
	case RoleLead, RoleFacilitator, RoleLayPartner, RoleStaffPartner:
		return true
	}
	return false
}

// Membership is a person's place in a project.
type Membership struct {
	ProjectID int64
	UserID    int64
	Role      ProjectRole
	CreatedAt time.Time
	// InvitedBy is the account that invited or added this member, or 0 for
	// the project's creator and members from before it was recorded.
	InvitedBy int64
	// JoinedOnBehalfBy is the facilitator who accepted the invitation for
	// the person, having taken their agreement offline, or 0 when the
	// person agreed themself. Nobody is a member without agreeing.
	JoinedOnBehalfBy int64
	// ContactWay is how the member wants to be reached; AgreedWay, for a
	// member a facilitator added, how they gave their agreement (by phone,
	// by post or in person), else "".
	ContactWay ContactWay
	AgreedWay  ContactWay
}

// Member is a membership with the person's name and email, as listed on a
// project's members page. Email is "" for a member who does not use email.
type Member struct {
	Membership
	Name  string
	Email string
	// JoinedOnBehalfByName names the facilitator in JoinedOnBehalfBy.
	JoinedOnBehalfByName string
}

// Access is what one person may do in one project. It is worked out once per
// request from the account and the membership, and checked by every handler.
type Access struct {
	User *User
	// Role is empty when the user is not a member.
	Role ProjectRole
}

// IsMember reports whether the user belongs to the project.
func (a Access) IsMember() bool { return a.Role != "" }

// CanView reports whether the user may see the project at all. Members and
// administrators may; for everyone else the project does not exist.
func (a Access) CanView() bool { return a.IsMember() || a.User.IsAdmin() }

// CanManage reports whether the user may change the project's details and
// its members: its leads, and administrators.
func (a Access) CanManage() bool { return a.Role == RoleLead || a.User.IsAdmin() }

// CanFacilitate reports whether the user may edit step data and moderate:
// leads and facilitators.
func (a Access) CanFacilitate() bool {
	return a.Role == RoleLead || a.Role == RoleFacilitator
}

// NewMembership is a lead's request to add a person to a project.
type NewMembership struct {
	Email string
	Role  ProjectRole
}

// Validate checks the request.
func (n NewMembership) Validate() error {
	var v ValidationError
	checkEmail(&v, "email", n.Email)
	if !n.Role.Valid() {
		v.Add("role", "error.project_role.invalid")
	}
	return v.Err()
}
