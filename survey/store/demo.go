package store

import (
	"context"
	"database/sql"
	"fmt"

	"bedarf/survey"
	"bedarf/survey/auth"
)

// DemoSeed is what SeedDemo stores.
type DemoSeed struct {
	Organisation survey.Organisation
	Kommunen     []survey.Kommune
	// Boundaries is a FeatureCollection as survey.MatchBoundaries returns
	// it, with BoundaryFeatures features.
	Boundaries       []byte
	BoundaryFeatures int
	// QuestionnaireFormat and Questionnaire are the source of the
	// questionnaire ("yaml" or "xlsform").
	QuestionnaireFormat string
	Questionnaire       []byte
	// Round is the round to create; its questionnaire and invited Kommunen
	// (all) are filled in by SeedDemo.
	Round NewRound
	// Sealer seals the links (one per Kommune).
	Sealer *auth.Sealer
	// Answers returns the sample answers of the i-th invited Kommune (in
	// key order): ok false leaves it without answers.
	Answers func(qn *survey.Questionnaire, i int, k survey.Kommune) (a survey.Answers, submit, ok bool, err error)
	// Offers, if set, returns the demo's providers and the offers made
	// from the plan of the submitted answers (the questionnaire and each
	// submitted Kommune's answers, in AGS order, as seeded). An offer's
	// ProviderID is the 1-based index of its provider in the list (0:
	// none). The booking code adds bookings, a waiting list and attendance
	// here (issue 20, item 9).
	Offers func(qn *survey.Questionnaire, submitted []DemoAnswers) (providers []survey.Provider, offers []survey.Offer, err error)
	// Release, if set, releases the round's results to the Kommunen with
	// its options (MinGroup, ShowGroupMembers), so a newcomer can open a
	// Kommune's results at once.
	Release *survey.ResultRelease
	// Actor is who seeds.
	Actor survey.Actor
	// AfterStep, if set, is called within the transaction after each step
	// with the step's name (DemoSteps); tests use it to kill the process
	// at a known point.
	AfterStep func(step string)
}

// DemoAnswers are a Kommune's seeded answers.
type DemoAnswers struct {
	Kommune survey.Kommune
	Answers survey.Answers
}

// DemoSteps are the steps of SeedDemo in order, as AfterStep names them.
var DemoSteps = []string{"organisation", "kommunen", "boundaries", "questionnaire", "round", "links", "answers", "offers", "release"}

// SeedDemo stores the demo in one transaction: organisation, Kommunen,
// boundaries, questionnaire, an open round with a link per Kommune, the
// sample answers, providers and offers made from the plan and, if asked,
// the release of the round's results. A database that has a round already is left as it
// is (seeded false). Since it is one transaction, a process killed at any
// moment leaves either nothing of it or all of it.
func (s *Store) SeedDemo(ctx context.Context, d DemoSeed) (seeded bool, err error) {
	qn, err := parseSource(d.QuestionnaireFormat, "", d.Questionnaire)
	if err != nil {
		return false, err
	}
	org := d.Organisation.Normalize()
	if err := org.Validate(); err != nil {
		return false, err
	}
	step := func(name string) {
		if d.AfterStep != nil {
			d.AfterStep(name)
		}
	}
	err = s.writeData(ctx, func(tx *sql.Tx) error {
		var rounds int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM rounds").Scan(&rounds); err != nil {
			return fmt.Errorf("count rounds: %w", err)
		}
		if rounds > 0 {
			return nil
		}
		if err := s.saveOrganisationTx(ctx, tx, org, d.Actor); err != nil {
			return err
		}
		step("organisation")
		var imp KommunenImport
		if err := s.importKommunenTx(ctx, tx, d.Kommunen, d.Actor, &imp); err != nil {
			return err
		}
		step("kommunen")
		if err := s.saveBoundariesTx(ctx, tx, d.Boundaries, d.BoundaryFeatures, d.Actor); err != nil {
			return err
		}
		step("boundaries")
		v, err := s.addQuestionnaireTx(ctx, tx, qn, d.QuestionnaireFormat, d.Questionnaire, d.Actor)
		if err != nil {
			return err
		}
		step("questionnaire")
		ks, err := kommunenWithARS(ctx, tx)
		if err != nil {
			return err
		}
		nr := d.Round
		nr.QuestionnaireID = v.ID
		nr.KommuneIDs = nil
		for _, k := range ks {
			nr.KommuneIDs = append(nr.KommuneIDs, k.ID)
		}
		roundID, err := s.createRoundTx(ctx, tx, nr, d.Actor)
		if err != nil {
			return err
		}
		step("round")
		responseIDs := make([]int64, len(ks))
		for i, k := range ks {
			if err := tx.QueryRowContext(ctx, "SELECT id FROM responses WHERE round_id = ? AND kommune_id = ?", roundID, k.ID).Scan(&responseIDs[i]); err != nil {
				return fmt.Errorf("response of %s: %w", k.AGS, err)
			}
			if err := s.issueTokenTx(ctx, tx, responseIDs[i], d.Sealer, d.Actor); err != nil {
				return err
			}
		}
		step("links")
		var submitted []DemoAnswers
		if d.Answers != nil {
			for i, k := range ks {
				answers, submit, ok, err := d.Answers(qn, i, k)
				if err != nil {
					return err
				}
				if !ok {
					continue
				}
				actor := survey.Actor{Kind: "kommune", Label: "Demo " + k.Name}
				var out Saved
				if err := s.saveResponseTx(ctx, tx, Save{ResponseID: responseIDs[i], Answers: answers, Submit: submit, Questionnaire: qn, Actor: actor}, &out); err != nil {
					return fmt.Errorf("demo answers of %s: %w", k.Name, err)
				}
				if submit {
					submitted = append(submitted, DemoAnswers{Kommune: k, Answers: answers})
				}
			}
		}
		step("answers")
		if d.Offers != nil {
			if err := s.seedOffersTx(ctx, tx, roundID, qn, submitted, d); err != nil {
				return err
			}
			if _, err := s.seedBookingsTx(ctx, tx, roundID, d.Actor); err != nil { // bookings_demo.go
				return err
			}
		}
		step("offers")
		if d.Release != nil {
			if err := s.releaseTx(ctx, tx, roundID, d.Release.MinGroup, d.Release.ShowGroupMembers, d.Actor); err != nil {
				return fmt.Errorf("demo release: %w", err)
			}
		}
		step("release")
		seeded = true
		return nil
	})
	return seeded, err
}

// seedOffersTx stores the demo's providers and offers within tx.
func (s *Store) seedOffersTx(ctx context.Context, tx *sql.Tx, roundID int64, qn *survey.Questionnaire, submitted []DemoAnswers, d DemoSeed) error {
	providers, offers, err := d.Offers(qn, submitted)
	if err != nil {
		return fmt.Errorf("demo offers: %w", err)
	}
	ids := make([]int64, len(providers))
	for i, p := range providers {
		if err := p.Normalize(); err != nil {
			return fmt.Errorf("demo provider %s: %w", p.Name, err)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO providers (kind, name, organisation, qualification, contact, fee_cents, fee_unit,
			travel_cents, vat_bp, vat_exempt, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			p.Kind, p.Name, p.Organisation, p.Qualification, p.Contact, p.FeeCents, p.FeeUnit, p.TravelCents, p.VATBasisPoints, p.VATExempt,
			s.stamp(), s.stamp())
		if err != nil {
			return fmt.Errorf("demo provider %s: %w", p.Name, err)
		}
		ids[i], _ = res.LastInsertId()
	}
	for _, o := range offers {
		if o.ProviderID < 0 || o.ProviderID > int64(len(ids)) {
			return fmt.Errorf("demo offer %s: provider %d of %d", o.Title, o.ProviderID, len(ids))
		}
		if o.ProviderID > 0 {
			o.ProviderID = ids[o.ProviderID-1]
		}
		if _, err := s.insertOffer(ctx, tx, roundID, o); err != nil {
			return fmt.Errorf("demo offer %s: %w", o.Title, err)
		}
	}
	if err := bumpOffers(ctx, tx, roundID); err != nil {
		return err
	}
	return s.audit(ctx, tx, d.Actor, "offer.plan", roundID, 0, fmt.Sprintf("Demo: %d Anbieter, %d Angebote", len(providers), len(offers)))
}
