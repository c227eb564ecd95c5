package trust

import "testing"

func TestCheck(t *testing.T) {
	gmailPass := "mx.google.com;\r\n       dkim=pass header.i=@maple.example header.s=s1 header.b=Zx9;\r\n" +
		"       spf=pass (google.com: domain of ana@maple.example designates 192.0.2.7 as permitted sender) smtp.mailfrom=ana@maple.example;\r\n" +
		"       dmarc=pass (p=QUARANTINE sp=NONE dis=NONE) header.from=maple.example"
	for _, tc := range []struct {
		name   string
		fields []string
		from   string
		servID string
		want   string
		method string
	}{
		{"GmailDMARCPass", []string{gmailPass}, "ana@maple.example", "mx.google.com", Pass, "dmarc"},
		{"FromOtherDomainThanVerdict", []string{gmailPass}, "ana@birch.example", "mx.google.com", None, ""},
		{"DMARCFail", []string{"mx.google.com; dkim=none; spf=softfail smtp.mailfrom=x@bad.example; dmarc=fail (p=REJECT) header.from=maple.example"},
			"ana@maple.example", "mx.google.com", Fail, "dmarc"},
		{"NoPolicyNoSignature", []string{"mx.google.com; spf=pass smtp.mailfrom=ana@tiny.example; dmarc=none header.from=tiny.example"},
			"ana@tiny.example", "mx.google.com", None, ""},
		{"AlignedDKIMFromSubdomain", []string{"mx.google.com; dkim=pass header.d=mail.maple.example"},
			"ana@maple.example", "mx.google.com", Pass, "dkim"},
		{"DKIMOfAnotherDomainIsNoVerdict", []string{"mx.google.com; dkim=pass header.d=lists.example.org"},
			"ana@maple.example", "mx.google.com", None, ""},
		{"SPFFailAligned", []string{"mx.google.com; dkim=none; spf=fail smtp.mailfrom=ana@maple.example"},
			"ana@maple.example", "mx.google.com", Fail, "spf"},
		{"OutlookWithoutServID", []string{"spf=pass (sender IP is 198.51.100.4)\r\n smtp.mailfrom=maple.example; dkim=pass (signature was verified)\r\n header.d=maple.example;dmarc=pass action=none\r\n header.from=maple.example;compauth=pass reason=100"},
			"ana@maple.example", NoServID, Pass, "dmarc"},
		{"FastmailHostUnderProvider", []string{"mx4.messagingengine.com; dmarc=pass policy.published-domain-policy=none header.from=maple.example"},
			"ana@maple.example", "messagingengine.com", Pass, "dmarc"},
		{"ProviderNotNamed", []string{gmailPass}, "ana@maple.example", "", None, ""},
		{"NoHeader", nil, "ana@maple.example", "mx.google.com", None, ""},
		// The sender wrote a passing field into their message; the provider's own
		// field (topmost) fails. Only the topmost counts.
		{"ForgedBelowProvider", []string{
			"mx.google.com; dmarc=fail header.from=maple.example",
			"mx.google.com; dmarc=pass header.from=maple.example",
		}, "ana@maple.example", "mx.google.com", Fail, "dmarc"},
		// The provider adds nothing; a field the sender wrote is topmost but under
		// another name, so it is not believed.
		{"SpoofedServID", []string{"mx.attacker.example; dmarc=pass header.from=maple.example"},
			"ana@maple.example", "mx.google.com", None, ""},
		// A name that merely ends like the provider's is not the provider's.
		{"LookalikeServID", []string{"evilmx.google.com.attacker.example; dmarc=pass header.from=maple.example"},
			"ana@maple.example", "google.com", None, ""},
		// An Outlook-shaped field is not believed for a provider that has a name.
		{"MissingIDNotBelievedForNamedProvider", []string{"dmarc=pass header.from=maple.example"},
			"ana@maple.example", "mx.google.com", None, ""},
		{"Garbage", []string{"mx.google.com 7; ;;=="}, "ana@maple.example", "mx.google.com", None, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := Check(tc.fields, tc.from, tc.servID)
			if v.Result != tc.want || v.Method != tc.method {
				t.Errorf("got %s by %q (%s), want %s by %q", v.Result, v.Method, v.Reason, tc.want, tc.method)
			}
			if v.Reason == "" {
				t.Error("got no reason, want one for the coach")
			}
		})
	}
}

func TestLevel(t *testing.T) {
	pass := Verdict{Result: Pass, Reason: "ok"}
	fail := Verdict{Result: Fail, Reason: "forged"}
	none := Verdict{Result: None, Reason: "nothing"}
	for _, tc := range []struct {
		v      Verdict
		sender bool
		want   string
	}{
		{pass, true, Verified},
		{none, true, Plausible},
		{fail, true, Unverified},
		{pass, false, Unverified}, // a verified stranger is still not the member
		{none, false, Unverified},
	} {
		got, reason := Level(tc.v, tc.sender, "forwarded by someone else?")
		if got != tc.want {
			t.Errorf("Level(%s, sender %v): got %s, want %s", tc.v.Result, tc.sender, got, tc.want)
		}
		if !tc.sender && reason != "forwarded by someone else?" {
			t.Errorf("got reason %q, want the sender mismatch", reason)
		}
	}
}

func TestTopServID(t *testing.T) {
	for in, want := range map[string]string{
		"mx.google.com; dkim=pass":                                            "mx.google.com",
		"MX4.MessagingEngine.com 1; dmarc=none":                               "mx4.messagingengine.com",
		"spf=pass (sender IP is 1.2.3.4) smtp.mailfrom=a.example; dmarc=pass": NoServID,
	} {
		if got := TopServID([]string{in, "other.example; dmarc=pass"}); got != want {
			t.Errorf("TopServID(%q): got %q, want %q", in, got, want)
		}
	}
	if got := TopServID(nil); got != "" {
		t.Errorf("TopServID(nil): got %q, want \"\"", got)
	}
}

func FuzzCheck(f *testing.F) {
	f.Add("mx.google.com; dmarc=pass header.from=a.example", "x@a.example")
	f.Add("spf=pass (x (nested) \"q(\") smtp.mailfrom=a.example", "x@a.example")
	f.Fuzz(func(t *testing.T, field, from string) {
		v := Check([]string{field}, from, "mx.google.com")
		switch v.Result {
		case Pass, Fail, None:
		default:
			t.Fatalf("got result %q", v.Result)
		}
		// Only a field under the provider's name can pass.
		if v.Result == Pass && !sameServ(TopServID([]string{field}), "mx.google.com") {
			t.Fatalf("passed on a field of %q", TopServID([]string{field}))
		}
	})
}
