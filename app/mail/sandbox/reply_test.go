package sandbox

import "testing"

func TestMailtoTarget(t *testing.T) {
	for _, tc := range []struct {
		raw, subject, wantAddr, wantSubject string
		wantErr                             bool
	}{
		{"coach+rt-i-abc@example.com", "Digest", "coach+rt-i-abc@example.com", "Digest", false},
		{"mailto:coach+rt-i-abc@example.com?subject=Re%3A%20Week%201", "Digest", "coach+rt-i-abc@example.com", "Re: Week 1", false},
		{"mailto:coach@example.com", "Digest", "coach@example.com", "Digest", false},
		{"MAILTO:coach@example.com?subject=", "Digest", "coach@example.com", "Digest", false},
		{"https://example.com/", "Digest", "", "", true},
		{"not an address", "Digest", "", "", true},
	} {
		t.Run(tc.raw, func(t *testing.T) {
			a, s, err := mailtoTarget(tc.raw, tc.subject)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err %v, want error %v", err, tc.wantErr)
			}
			if a.Email != tc.wantAddr || s != tc.wantSubject {
				t.Errorf("got %q %q, want %q %q", a.Email, s, tc.wantAddr, tc.wantSubject)
			}
		})
	}
}
