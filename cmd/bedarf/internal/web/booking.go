package web

// "Angebote buchen" (issue 20, item 3): the page beside the questionnaire
// on the Kommune's personal link. The Kommune names participants for its
// group seats and the training dates, cancels, and declines a place its
// participant moved up to. The store keeps every invariant
// (survey/store/bookings.go); these handlers only parse, call it and show
// the page again. Every refusal shows the page with what was typed in the
// form it came from, the message at the field.

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"bedarf/survey"
	"bedarf/survey/store"
)

// BookingPath is the booking page and the target of its forms.
const BookingPath = "/angebote"

// The actions of the booking forms (field "aktion").
const (
	bookAction    = "buchen"
	cancelAction  = "stornieren"
	declineAction = "absagen"
)

// bookingAction reports whether a posted form is one of the booking page's
// (for a form kept after the session ended, session_lost.go).
func bookingAction(a string) bool { return a == bookAction || a == cancelAction || a == declineAction }

// bookingForm is one booking form's values and refusal.
type bookingForm struct {
	Name, Function, Email string
	// Field is the field the error concerns ("name", "funktion",
	// "email"; "" for the form as a whole).
	Field, Error string
}

// bookingPage is the page's model.
type bookingPage struct {
	Round    survey.Round
	Overview store.BookingOverview
	// Form holds the typed values of the form that was refused, keyed by
	// "offer/date" (formKey).
	Form  map[string]bookingForm
	Focus string // formKey of the refused form
	// Notice is what happened (a booking, a cancellation), Error a refusal
	// of a cancel or decline button.
	Notice, Error string
	// Orphan is a refused form whose offer or date is not on the page
	// (not bookable, or not at all): its message and values are shown at
	// the top, so nothing typed is lost.
	Orphan *bookingForm
}

// formKey names a booking form: the offer and the date (0 for a group).
func formKey(offer, date int64) string {
	return strconv.FormatInt(offer, 10) + "/" + strconv.FormatInt(date, 10)
}

// FormFor returns the kept values of the form of the offer and date.
func (p bookingPage) FormFor(offer, date int64) bookingForm { return p.Form[formKey(offer, date)] }

// showBookings is GET /angebote.
func (s *Server) showBookings(c *gin.Context) {
	s.renderBookings(c, http.StatusOK, bookingPage{Notice: noticeText(c, c.Query("ok"))})
}

// noticeText is the notice after a redirect ("gebucht", "warteliste",
// "storniert", "abgesagt").
func noticeText(c *gin.Context, ok string) string {
	key := map[string]string{"gebucht": "booking.notice.gebucht", "warteliste": "booking.notice.warteliste",
		"storniert": "booking.notice.storniert", "abgesagt": "booking.notice.abgesagt"}[ok]
	if key == "" {
		return ""
	}
	return tr(c, key)
}

// renderBookings reads the Kommune's bookings and shows the page with
// status; page carries the kept form and messages.
func (s *Server) renderBookings(c *gin.Context, status int, page bookingPage) {
	ref := session(c).Token
	round, err := s.St.Round(c.Request.Context(), ref.RoundID)
	if err != nil {
		if !s.storageFailed(c, err) {
			s.errorFor(c, err)
		}
		return
	}
	ov, err := s.St.KommuneBookings(c.Request.Context(), ref.RoundID, ref.KommuneID)
	if err != nil {
		if !s.storageFailed(c, err) {
			s.errorFor(c, err)
		}
		return
	}
	page.Round, page.Overview = round, ov
	if page.Focus != "" && !onPage(ov, page.Focus) {
		f := page.Form[page.Focus]
		page.Orphan = &f
	}
	s.Render(c, status, "booking", PageData{Title: tr(c, "booking.title"), Page: page})
}

// postBookings is POST /angebote: book, cancel or decline.
func (s *Server) postBookings(c *gin.Context) {
	if !s.parseForm(c) {
		return
	}
	form := c.Request.PostForm
	ref := session(c).Token
	actor := survey.Actor{Kind: "kommune", Label: "Link"}
	id := func(name string) (int64, bool) {
		v, err := strconv.ParseInt(form.Get(name), 10, 64)
		return v, err == nil && v >= 0
	}
	switch form.Get("aktion") {
	case bookAction:
		offer, ok1 := id("angebot")
		date, ok2 := id("termin")
		if !ok1 || !ok2 {
			s.errorPage(c, http.StatusBadRequest, tr(c, "error.bad_request.title"), tr(c, "error.bad_request.text"))
			return
		}
		kept := bookingForm{Name: form.Get("name"), Function: form.Get("funktion"), Email: form.Get("email")}
		res, err := s.St.Book(c.Request.Context(), store.BookRequest{RoundID: ref.RoundID, KommuneID: ref.KommuneID, OfferID: offer, DateID: date,
			Participant: survey.Participant{Name: kept.Name, Function: kept.Function, Email: kept.Email}}, actor)
		if err != nil {
			if s.storageFailed(c, err) {
				return
			}
			kept.Error, kept.Field = emsg(c, err), errField(err)
			key := formKey(offer, date)
			s.renderBookings(c, bookingStatus(err), bookingPage{Form: map[string]bookingForm{key: kept}, Focus: key})
			return
		}
		s.Log.Info("booking", "kommune", ref.KommuneID, "booking", res.BookingID, "status", string(res.Status))
		s.mail.Notify()
		ok := "gebucht"
		if res.Status == survey.BookingWaiting {
			ok = "warteliste"
		}
		c.Redirect(http.StatusSeeOther, BookingPath+"?ok="+ok+"#termin-"+strconv.FormatInt(offer, 10)+"-"+strconv.FormatInt(date, 10))
	case cancelAction, declineAction:
		bid, ok := id("buchung")
		if !ok {
			s.errorPage(c, http.StatusBadRequest, tr(c, "error.bad_request.title"), tr(c, "error.bad_request.text"))
			return
		}
		var err error
		done := "storniert"
		if form.Get("aktion") == declineAction {
			err, done = s.St.DeclineMoveUp(c.Request.Context(), ref.RoundID, ref.KommuneID, bid, actor), "abgesagt"
		} else {
			err = s.St.CancelBooking(c.Request.Context(), ref.RoundID, ref.KommuneID, bid, actor)
		}
		if err != nil {
			if s.storageFailed(c, err) {
				return
			}
			s.renderBookings(c, bookingStatus(err), bookingPage{Error: emsg(c, err)})
			return
		}
		s.mail.Notify()
		c.Redirect(http.StatusSeeOther, BookingPath+"?ok="+done)
	default:
		s.errorPage(c, http.StatusBadRequest, tr(c, "error.bad_request.title"), tr(c, "error.bad_request.text"))
	}
}

// errField is the form field a domain error names.
func errField(err error) string {
	if e, ok := err.(*survey.Error); ok {
		return e.Field
	}
	return ""
}

// bookingStatus is the answer's status for a refused booking form: 422
// for bad input, 409 for a conflict (full, deadline, lost race), 404 for
// what is not (or no longer) bookable, 500 otherwise.
func bookingStatus(err error) int {
	switch survey.ErrorCode(err) {
	case survey.EInvalid:
		return http.StatusUnprocessableEntity
	case survey.EConflict, survey.EClosed:
		return http.StatusConflict
	case survey.ENotFound:
		return http.StatusNotFound
	}
	return http.StatusInternalServerError
}

// bookingFields is what one booking form shows: its target and the kept
// values.
type bookingFields struct {
	Key         string
	Offer, Date int64
	bookingForm
}

// Fields returns the booking form of the offer and date.
func (p bookingPage) Fields(offer, date int64) bookingFields {
	return bookingFields{Key: formKey(offer, date), Offer: offer, Date: date, bookingForm: p.FormFor(offer, date)}
}

// ID is the form's element id prefix ("b-3-7").
func (f bookingFields) ID() string {
	return "b-" + strconv.FormatInt(f.Offer, 10) + "-" + strconv.FormatInt(f.Date, 10)
}

// bookingLines is a table of a Kommune's bookings with the buttons it may
// use.
type bookingLines struct {
	Lines           []store.BookingLine
	Cancel, Started bool
}

// Lines returns the table of bookings: Cancel shows the cancel buttons,
// Started hides every button.
func (p bookingPage) Lines(lines []store.BookingLine, cancel, started bool) bookingLines {
	return bookingLines{Lines: lines, Cancel: cancel, Started: started}
}

// onPage reports whether the page has the booking form named key.
func onPage(ov store.BookingOverview, key string) bool {
	for _, g := range ov.Groups {
		if formKey(g.Offer.ID, 0) == key {
			return g.Free() > 0
		}
	}
	for _, d := range ov.Dates {
		if formKey(d.Offer.ID, d.Date.ID) == key {
			return !d.Started
		}
	}
	return false
}
