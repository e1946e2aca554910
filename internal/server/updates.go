package server

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/mail"
	"github.com/coproduce/coproduce/web/views"
)

// writer writes news as the periodic jobs do, in each recipient's own
// language: the person told is not the one whose browser made the change.
func (s *Server) writer() mail.Writer {
	return mail.Writer{L: s.cfg.Catalog.Localizer(""), Catalog: s.cfg.Catalog, BaseURL: s.cfg.BaseURL.String(), OrgName: s.cfg.OrgName}
}

// unseenUpdates is the header's count: a failure to count is logged and
// shows no count, rather than failing the page.
func (s *Server) unseenUpdates(r *http.Request, u *coproduce.User) int {
	if u == nil {
		return 0
	}
	n, err := s.store.UnseenUpdates(r.Context(), u.ID)
	if err != nil {
		s.log.WarnContext(r.Context(), "counting updates", "err", err)
	}
	return n
}

func (s *Server) showUpdates(w http.ResponseWriter, r *http.Request) error {
	u := userFrom(r.Context())
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page = max(page, 1)
	list, total, err := s.store.Updates(r.Context(), u.ID, page, views.UpdatesPerPage)
	if err != nil {
		return err
	}
	pages := max((total+views.UpdatesPerPage-1)/views.UpdatesPerPage, 1)
	if page > pages {
		return coproduce.ErrNotFound
	}
	p := s.page(r, "updates.title")
	p.Nav = "updates"
	p.Notice = noticeFrom(r)
	v := views.UpdatesView{Updates: list, Page: page, Pages: pages, Total: total, Unseen: p.UpdatesUnseen}
	if len(list) > 0 && page == 1 {
		v.Newest = list[0].ID
	} else if page > 1 {
		v.Unseen = 0 // "mark all as seen" is on the first page, with the newest
	}
	return s.render(w, r, http.StatusOK, views.UpdatesPage(p, v))
}

// openUpdate marks an update seen and goes to the thing it tells of.
func (s *Server) openUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(chi.URLParam(r, "updateID"), 10, 64)
	if err != nil || id <= 0 {
		return coproduce.ErrNotFound
	}
	path, err := s.store.OpenUpdate(r.Context(), userFrom(r.Context()).ID, id)
	if err != nil {
		return err
	}
	return redirect(w, r, path)
}

func (s *Server) markUpdatesSeen(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	upTo, err := strconv.ParseInt(r.PostForm.Get("up_to"), 10, 64)
	if err != nil || upTo <= 0 {
		return errBadRequest
	}
	if err := s.store.MarkUpdatesSeen(r.Context(), userFrom(r.Context()).ID, upTo); err != nil {
		return err
	}
	return redirect(w, r, "/updates?notice=updates-seen")
}

func (s *Server) showNotifySettings(w http.ResponseWriter, r *http.Request) error {
	prefs, err := s.store.NotifyPreferences(r.Context(), userFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	f := views.NewForm(nil, nil)
	for k, n := range prefs {
		f.Values.Set("notify-"+string(k), string(n))
	}
	return s.renderNotifySettings(w, r, http.StatusOK, f)
}

// renderNotifySettings shows the choices, with the projects the person
// asked to contact them another way than email: no choice here sends
// those projects' news by email, and the page must not suggest it does.
func (s *Server) renderNotifySettings(w http.ResponseWriter, r *http.Request, status int, f views.Form) error {
	quiet, err := s.store.NotEmailedProjects(r.Context(), userFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	p := s.page(r, "notify_settings.title")
	p.Nav = "account"
	p.HasErrors = f.HasErrors()
	return s.render(w, r, status, views.NotifySettingsPage(p, f, quiet))
}

func (s *Server) saveNotifySettings(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	prefs := map[coproduce.NewsKind]coproduce.Notify{}
	v := &coproduce.ValidationError{}
	for _, k := range coproduce.NewsKinds {
		name := "notify-" + string(k)
		n := coproduce.Notify(r.PostForm.Get(name))
		if !coproduce.ValidNotify(n) {
			v.Add(name, "error.notify.choose")
			continue
		}
		prefs[k] = n
	}
	if v.Err() != nil {
		return s.renderNotifySettings(w, r, http.StatusUnprocessableEntity, views.NewForm(r.PostForm, v))
	}
	if err := s.store.SetNotifyPreferences(r.Context(), userFrom(r.Context()).ID, prefs); err != nil {
		return err
	}
	return redirect(w, r, "/account?notice=notify-saved")
}

// showUnsubscribe asks to confirm: mail scanners open links, and must not
// stop anyone's email by doing so.
func (s *Server) showUnsubscribe(w http.ResponseWriter, r *http.Request) error {
	token := chi.URLParam(r, "token")
	_, kinds, err := s.store.UnsubscribeKinds(r.Context(), token)
	if err != nil {
		return err
	}
	p := s.page(r, "unsubscribe.title")
	return s.render(w, r, http.StatusOK, views.UnsubscribePage(p, token, kinds, false))
}

// unsubscribe turns the kinds of news one email carried to "Updates page
// only". It takes a mail program's one-click POST (RFC 8058), which has no
// session and no form token, as well as the confirmation page's button;
// the link's own secret token is what it trusts.
func (s *Server) unsubscribe(w http.ResponseWriter, r *http.Request) error {
	token := chi.URLParam(r, "token")
	_, kinds, err := s.store.UnsubscribeKinds(r.Context(), token)
	if err != nil {
		return err
	}
	if err := s.store.UnsubscribeByToken(r.Context(), token); err != nil {
		return err
	}
	p := s.page(r, "unsubscribe.title")
	return s.render(w, r, http.StatusOK, views.UnsubscribePage(p, "", kinds, true))
}
