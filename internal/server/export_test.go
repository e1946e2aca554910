package server

import "time"

// IdeasFreshForTests is how long a test waits for the project page's
// shared parts to be read again.
const IdeasFreshForTests = ideasFresh + 100*time.Millisecond

// HoldPDFSlots takes every PDF slot and every place waiting for one, as
// if the server were busy printing, until release is called.
func HoldPDFSlots(s *Server) (release func()) {
	for range cap(s.pdfSlots) {
		s.pdfSlots <- struct{}{}
	}
	for range cap(s.pdfWaiting) {
		s.pdfWaiting <- struct{}{}
	}
	return func() {
		for range cap(s.pdfSlots) {
			<-s.pdfSlots
		}
		for range cap(s.pdfWaiting) {
			<-s.pdfWaiting
		}
	}
}
