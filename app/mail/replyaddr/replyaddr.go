// Package replyaddr makes and reads the reply addresses that route a member's
// reply back to the right post: coach+rt-TOKEN@domain, where TOKEN names one
// (post, member) pair and cannot be guessed, so nobody can post into a thread as
// someone else by inventing an address.
package replyaddr

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"strings"
)

// prefix starts every token in the address's detail part, so that other
// plus-addresses the coach uses (coach+newsletter@) are never mistaken for ours.
const prefix = "rt-"

var encoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// NewToken returns a fresh token: 80 random bits in lower-case base32 (16
// characters), safe in the local part of an address and unchanged by servers that
// lower-case addresses.
func NewToken() string {
	b := make([]byte, 10)
	rand.Read(b)
	return encoding.EncodeToString(b)
}

// For returns the reply address for token under the coach's address:
// "coach@example.com" → "coach+rt-TOKEN@example.com".
func For(coach, token string) string {
	local, domain, ok := strings.Cut(coach, "@")
	if !ok {
		return coach
	}
	if i := strings.IndexByte(local, '+'); i >= 0 {
		local = local[:i]
	}
	return local + "+" + prefix + token + "@" + domain
}

// Token returns the token in a reply address, and false when addr carries none.
func Token(addr string) (string, bool) {
	return detailToken(addr, prefix, 16)
}

// bouncePrefix starts the detail of a bounce address: the envelope sender of one
// copy, where delivery reports about that copy come back.
const bouncePrefix = prefix + "b-"

// Bounce returns the bounce address for one copy's bounce token:
// "coach@example.com" → "coach+rt-b-TOKEN@example.com". A delivery report that
// arrives there is provably about that copy: nobody else was given the address.
func Bounce(coach, token string) string {
	return For(coach, "b-"+token)
}

// BounceToken returns the bounce token in a bounce address, and false when addr
// is not one.
func BounceToken(addr string) (string, bool) {
	return detailToken(addr, bouncePrefix, 16)
}

// itemPrefix starts the detail of a digest item's reply address.
const itemPrefix = prefix + "i-"

// ItemToken returns the reply token of one item of one member's digest. It is
// derived, not stored (a digest of 5,000 items to 2,000 members would need ten
// million rows): the two ids and a 64-bit HMAC of them under the workspace's
// secret, in lower-case base32, so nobody without the secret can make one.
func ItemToken(secret []byte, digestID, itemID int64) string {
	b := make([]byte, 16)
	binary.BigEndian.PutUint32(b[0:], uint32(digestID))
	binary.BigEndian.PutUint32(b[4:], uint32(itemID))
	copy(b[8:], itemMAC(secret, b[:8]))
	return encoding.EncodeToString(b)
}

// ItemTokens returns a maker of item tokens under one secret: the same tokens
// as ItemToken, with the HMAC keyed once. A digest of a busy week has
// thousands of items per member; keying the HMAC for each was the most of
// making their tokens. The maker is not safe for concurrent use.
func ItemTokens(secret []byte) func(digestID, itemID int64) string {
	m := hmac.New(sha256.New, secret)
	var b [16]byte
	var sum []byte
	return func(digestID, itemID int64) string {
		binary.BigEndian.PutUint32(b[0:], uint32(digestID))
		binary.BigEndian.PutUint32(b[4:], uint32(itemID))
		m.Reset()
		m.Write([]byte(itemMACLabel))
		m.Write(b[:8])
		sum = m.Sum(sum[:0])
		copy(b[8:], sum[:8])
		return encoding.EncodeToString(b[:])
	}
}

// ParseItemToken returns the digest and item an item token names, and false
// when it is not one the secret made.
func ParseItemToken(secret []byte, tok string) (digestID, itemID int64, ok bool) {
	b, err := encoding.DecodeString(tok)
	if err != nil || len(b) != 16 || len(secret) == 0 {
		return 0, 0, false
	}
	if !hmac.Equal(b[8:], itemMAC(secret, b[:8])) {
		return 0, 0, false
	}
	return int64(binary.BigEndian.Uint32(b[0:])), int64(binary.BigEndian.Uint32(b[4:])), true
}

// itemMACLabel separates item MACs from any other use of the secret.
const itemMACLabel = "roundtable digest item\x00"

func itemMAC(secret, ids []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(itemMACLabel))
	m.Write(ids)
	return m.Sum(nil)[:8]
}

// ForItem returns the reply address of a digest item: coach+rt-i-TOKEN@domain.
func ForItem(coach, token string) string { return For(coach, "i-"+token) }

// ItemTokenOf returns the item token in a reply address, and false when addr
// carries none (it is not checked: ParseItemToken does that).
func ItemTokenOf(addr string) (string, bool) {
	return detailToken(addr, itemPrefix, 26)
}

// detailToken returns the token of length n after pfx in the +detail of addr
// (lower-cased base32), and false when addr carries none. Reply, bounce and item
// addresses differ only in their prefix and length.
func detailToken(addr, pfx string, n int) (string, bool) {
	local, _, ok := strings.Cut(strings.ToLower(strings.Trim(strings.TrimSpace(addr), "<>")), "@")
	if !ok {
		return "", false
	}
	_, detail, ok := strings.Cut(local, "+")
	if !ok || !strings.HasPrefix(detail, pfx) {
		return "", false
	}
	tok := detail[len(pfx):]
	if len(tok) != n || strings.Trim(tok, "abcdefghijklmnopqrstuvwxyz234567") != "" {
		return "", false
	}
	return tok, true
}
