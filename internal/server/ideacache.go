package server

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/a-h/templ"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/i18n"
)

// ideasCache keeps, for a second, the parts of each project's page that
// every viewer sees alike: the rendered list of newest ideas, the oldest
// overdue ideas and actions, the member count, the steps with their
// sign-offs, who has yet to read or agree, the leads, the newest readiness
// check (shown to leads only), and what waits for every lead and
// facilitator alike (given only to them). Reading and rendering the list's
// hundred rows was most of the project page's cost; a busy project's page
// is asked for many times a second, so these are made about once a second
// instead of on every view. They can therefore be up to a second behind
// a change made through another instance; a change made through this one
// (any request but a read, inside the project) drops them at once. An
// idea's own page is always live.
type ideasCache struct {
	mu      sync.Mutex
	entries map[ideasKey]ideasEntry
}

type ideasKey struct {
	projectID int64
	lang      string
}

type ideasEntry struct {
	html   string
	shared sharedParts
	made   time.Time
}

// sharedParts are the project page's parts read for every viewer alike.
type sharedParts struct {
	members        int
	overdue        []coproduce.Proposal
	overdueActions []coproduce.OverdueAction
	stages         []coproduce.Stage
	notRead        int
	notConfirmed   int
	leads          []coproduce.ProjectLead
	readiness      *coproduce.ReadinessCheck
	// work is the work list's shared parts (all but the claims each
	// reader may decide), nil when they were read for someone who does
	// not see a work list.
	work *coproduce.WorkList
}

// sharedOf takes the shared parts out of a page's overview.
func sharedOf(o coproduce.ProjectOverview) sharedParts {
	sp := sharedParts{members: o.MemberCount, overdue: o.Overdue, overdueActions: o.OverdueActions, stages: o.Stages,
		notRead: o.NotReadPurpose, notConfirmed: o.NotConfirmedFourRs, leads: o.Leads, readiness: o.Readiness}
	if o.Work != nil {
		work := *o.Work
		work.Claims = nil
		sp.work = &work
	}
	return sp
}

// into puts the shared parts into a page's overview.
func (sp sharedParts) into(o *coproduce.ProjectOverview) {
	o.MemberCount, o.Overdue, o.OverdueActions, o.Stages = sp.members, sp.overdue, sp.overdueActions, sp.stages
	o.NotReadPurpose, o.NotConfirmedFourRs, o.Leads, o.Readiness = sp.notRead, sp.notConfirmed, sp.leads, sp.readiness
	if o.Work != nil && sp.work != nil {
		claims := o.Work.Claims
		*o.Work = *sp.work
		o.Work.Claims = claims
	}
}

const (
	ideasFresh      = time.Second
	ideasCacheLimit = 1000 // projects; beyond this, stale entries are dropped
)

func newIdeasCache() *ideasCache { return &ideasCache{entries: map[ideasKey]ideasEntry{}} }

// forget drops a project's parts: after any change made through this
// server, its own next view of the project's page is read afresh.
func (c *ideasCache) forget(projectID int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k := range c.entries {
		if k.projectID == projectID {
			delete(c.entries, k)
		}
	}
}

// get returns the parts if they were made less than a second ago.
func (c *ideasCache) get(projectID int64, lang string, now time.Time) (templ.Component, sharedParts, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[ideasKey{projectID, lang}]
	if !ok || now.Sub(e.made) >= ideasFresh {
		return nil, sharedParts{}, false
	}
	return templ.Raw(e.html), e.shared, true
}

// put renders the list, keeps it with the other shared parts and returns it.
func (c *ideasCache) put(ctx context.Context, projectID int64, list templ.Component, shared sharedParts, now time.Time) (templ.Component, error) {
	var buf strings.Builder
	if err := list.Render(ctx, &buf); err != nil {
		return nil, err
	}
	html := buf.String()
	lang := i18n.FromContext(ctx).Lang()
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= ideasCacheLimit {
		for k, e := range c.entries {
			if now.Sub(e.made) >= ideasFresh {
				delete(c.entries, k)
			}
		}
	}
	c.entries[ideasKey{projectID, lang}] = ideasEntry{html: html, shared: shared, made: now}
	return templ.Raw(html), nil
}
