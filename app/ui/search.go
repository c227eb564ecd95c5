package ui

import (
	"github.com/roundtablehq/roundtable/app"
	"github.com/roundtablehq/roundtable/app/store"
)

// SearchService is the window's search palette (Ctrl+K): the same search as
// `roundtable search`.
type SearchService struct {
	base
	db *store.DB
}

// NewSearchService returns the service over an open workspace.
func NewSearchService(db *store.DB) *SearchService { return &SearchService{db: db} }

// Search returns what the text finds, grouped by kind; any text is safe.
func (s *SearchService) Search(q app.SearchQuery) (app.SearchResults, error) {
	res, err := s.db.Search(s.ctx, q)
	return res, fail(err)
}

// Kinds lists the kinds search finds, in the order their groups show, for the
// palette's filter.
func (s *SearchService) Kinds() []app.SearchKind { return app.SearchKinds }
