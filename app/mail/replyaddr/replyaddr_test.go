package replyaddr

import "testing"

func TestRoundTrip(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		tok := NewToken()
		if seen[tok] {
			t.Fatalf("got token %s twice in 1000, want every token new", tok)
		}
		seen[tok] = true
		addr := For("Coach+news@Example.com", tok)
		got, ok := Token(addr)
		if !ok || got != tok {
			t.Fatalf("Token(%q): got %q %v, want %q", addr, got, ok, tok)
		}
	}
}

func TestToken(t *testing.T) {
	tok := "abcdefghijklmnop"
	for _, tc := range []struct {
		addr string
		ok   bool
	}{
		{"coach+rt-" + tok + "@example.com", true},
		{"<COACH+RT-ABCDEFGHIJKLMNOP@example.com>", true},
		{"coach@example.com", false},
		{"coach+newsletter@example.com", false},
		{"coach+rt-short@example.com", false},
		{"coach+rt-abcdefghijklmno1@example.com", false}, // 1 is not base32
		{"not an address", false},
	} {
		if _, ok := Token(tc.addr); ok != tc.ok {
			t.Errorf("Token(%q): got %v, want %v", tc.addr, ok, tc.ok)
		}
	}
}

func TestBounceToken(t *testing.T) {
	tok := NewToken()
	addr := Bounce("Coach+news@Example.com", tok)
	if want := "Coach+rt-b-" + tok + "@Example.com"; addr != want {
		t.Fatalf("Bounce: got %q, want %q", addr, want)
	}
	if got, ok := BounceToken("<" + addr + ">"); !ok || got != tok {
		t.Errorf("BounceToken(%q): got %q %v, want %q", addr, got, ok, tok)
	}
	// A bounce address is not a reply address, nor the other way round.
	if _, ok := Token(addr); ok {
		t.Errorf("Token(%q) found a reply token in a bounce address", addr)
	}
	if _, ok := BounceToken(For("coach@example.com", tok)); ok {
		t.Error("BounceToken found a bounce token in a reply address")
	}
	for _, bad := range []string{"coach+rt-b-short@example.com", "coach+rt-b-" + tok + "x@example.com", "coach@example.com", "rt-b-" + tok} {
		if _, ok := BounceToken(bad); ok {
			t.Errorf("BounceToken(%q): got a token, want none", bad)
		}
	}
}

func TestItemToken(t *testing.T) {
	secret := []byte("a workspace secret of enough bytes")
	tok := ItemToken(secret, 4121, 77)
	addr := ForItem("coach@example.com", tok)
	got, ok := ItemTokenOf(addr)
	if !ok || got != tok {
		t.Fatalf("ItemTokenOf(%q): got %q %v, want %q", addr, got, ok, tok)
	}
	d, i, ok := ParseItemToken(secret, got)
	if !ok || d != 4121 || i != 77 {
		t.Fatalf("ParseItemToken: got %d %d %v, want 4121 77 true", d, i, ok)
	}
	if _, ok := Token(addr); ok {
		t.Error("Token found a reply token in an item address")
	}
	// Another workspace's secret, or one changed letter, makes no valid token.
	if _, _, ok := ParseItemToken([]byte("another secret"), tok); ok {
		t.Error("a token made under another secret was accepted")
	}
	flipped := []byte(tok)
	flipped[3] = map[bool]byte{true: 'b', false: 'a'}[flipped[3] == 'a']
	if _, _, ok := ParseItemToken(secret, string(flipped)); ok {
		t.Error("a forged token was accepted")
	}
}

// TestItemTokensAsItemToken: the keyed-once maker makes the same tokens.
func TestItemTokensAsItemToken(t *testing.T) {
	secret := []byte("a workspace secret")
	token := ItemTokens(secret)
	for _, ids := range [][2]int64{{1, 1}, {7, 5000}, {1 << 31, 3}, {42, 0}} {
		if got, want := token(ids[0], ids[1]), ItemToken(secret, ids[0], ids[1]); got != want {
			t.Errorf("got %s for %v, want %s", got, ids, want)
		}
	}
}
