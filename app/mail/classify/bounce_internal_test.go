package classify

import "testing"

// The subjects of bounces are recognised in any case and language the list
// has, and a person's subject that only shares a word with one is not.
func TestBounceSubject(t *testing.T) {
	for subject, want := range map[string]bool{
		"Undelivered Mail Returned to Sender":               true,
		"Delivery Status Notification (Failure)":            true,
		"Delivery Status Notification (Delay)":              true,
		"Mail delivery failed: returning message to sender": true,
		"Undeliverable: Week 3 — your turn":                 true,
		"UNDELIVERABLE MAIL":                                true,
		"Returned mail: see transcript for details":         true,
		"failure notice":                                    true,
		"Mail Delivery Subsystem":                           true,
		"Message not delivered":                             true,
		"Warning: message 4AB12CD delayed 4 hours":          true,
		"Unzustellbar: Woche 3":                             true,
		"Non remis : Semaine 3":                             true,
		"No se puede entregar: Semana 3":                    true,
		"Não entregue: Semana 3":                            true,
		"Kan inte levereras: Vecka 3":                       true,
		"Onbestelbaar: Week 3":                              true,
		"Non recapitabile: Settimana 3":                     true,
		"Re: Week 3 — your turn":                            false,
		"Delivery of the workbook":                          false,
		"Warning: message me before Friday":                 false,
		"Warning: message delayed":                          false, // no id between, as sendmail writes it
		"My mail delivery was late, sorry":                  false,
		"Status notification: I finished the delivery plan": false,
	} {
		if got := bounceSubject(subject); got != want {
			t.Errorf("bounceSubject(%q) = %v, want %v", subject, got, want)
		}
	}
}
