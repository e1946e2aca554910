package server

import (
	"errors"
	"net/http"

	"github.com/coproduce/coproduce/internal/coproduce"
	"github.com/coproduce/coproduce/internal/mail"
)

// The news each change writes is made by internal/mail (mail.NewIdea,
// mail.Comment, mail.Answered ...) with s.writer(), and passed to the
// storage method that makes the change, which writes it in the same
// transaction.

// claimDecidedNews tells the claimant; a claim the person may not decide
// (or none) gets no news, and DecideClaim refuses it.
func (s *Server) claimDecidedNews(r *http.Request, claimID int64, approve bool, reason string) ([]coproduce.News, error) {
	actorID := userFrom(r.Context()).ID
	c, err := s.store.ClaimFor(r.Context(), actorID, claimID)
	if errors.Is(err, coproduce.ErrNotFound) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	return []coproduce.News{mail.ClaimDecided(s.writer(), c, actorID, approve, reason)}, nil
}
