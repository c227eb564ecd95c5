package sandbox

import "strings"

// mailboxOf returns the mailbox that mail to addr is delivered into: addr in
// lower case, with any +detail dropped from the local part, as Postfix and
// Dovecot do with recipient_delimiter "+". So coach+rt-TOKEN@example.com lands
// in coach@example.com. It reports false for anything that is not an address.
func mailboxOf(addr string) (string, bool) {
	addr = strings.TrimSpace(addr)
	addr = strings.TrimSuffix(strings.TrimPrefix(addr, "<"), ">")
	at := strings.LastIndexByte(addr, '@')
	if at <= 0 || at == len(addr)-1 || strings.ContainsAny(addr, " \t\r\n<>,;") {
		return "", false
	}
	local, domain := addr[:at], addr[at+1:]
	if plus := strings.IndexByte(local, '+'); plus > 0 {
		local = local[:plus]
	}
	return strings.ToLower(local + "@" + domain), true
}
