package trim

import (
	"strings"
	"unicode/utf8"
)

// The phrases mail clients write around quoted mail, one row per language, so that
// supporting a language is a matter of adding a row rather than code. All phrases
// are lower case; lines are compared without regard to case.

// attributionWords are the words of one language's attribution lines.
type attributionWords struct {
	// closing verbs end the line, after the name: "Anna <a@b> a écrit :".
	closing []string
	// joined verbs follow the name with no space between (CJK): "Anna <a@b>写道：".
	joined []string
	// before verbs stand before the name: "Am … schrieb Anna <a@b>:".
	before []string
	// open words are the first word of the line: "Le", "Am", "W (dniu)".
	open []string
	// quoting phrases open a webmail's attribution that has no date: "Quoting
	// Anna <a@b>:", "Zitat von Anna <a@b>:".
	quoting []string
}

var attributionLanguages = map[string]attributionWords{
	"en": {closing: []string{"wrote", "writes"}, before: []string{"wrote"}, open: []string{"on", "at"},
		quoting: []string{"quoting"}},
	"fr": {closing: []string{"a écrit", "a ecrit"}, before: []string{"a écrit"}, open: []string{"le"},
		quoting: []string{"citation de"}},
	"de": {closing: []string{"schrieb", "schreibt"}, before: []string{"schrieb"}, open: []string{"am"},
		quoting: []string{"zitat von"}},
	"es": {closing: []string{"escribió", "escribio"}, before: []string{"escribió"}, open: []string{"el"},
		quoting: []string{"citando a"}},
	"nl": {closing: []string{"schreef", "geschreven"}, before: []string{"schreef"}, open: []string{"op"}},
	"it": {closing: []string{"ha scritto", "scrisse"}, before: []string{"ha scritto"}, open: []string{"il"}},
	"pt": {closing: []string{"escreveu"}, before: []string{"escreveu"}, open: []string{"em"}},
	// Danish, Norwegian and Swedish share "skrev" and "Den …".
	"da-no-sv": {closing: []string{"skrev", "skriver"}, before: []string{"skrev"}, open: []string{"den", "på"}},
	// Thunderbird writes "Anna kirjoitti 5.3.2024 klo 10.15:".
	"fi": {closing: []string{"kirjoitti"}, before: []string{"kirjoitti"}},
	// Apple Mail writes "Wiadomość napisana przez Anna <a@b> w dniu …:".
	"pl": {closing: []string{"pisze", "napisał(a)", "napisała", "napisał", "napisal"},
		before: []string{"napisał(a)", "napisana przez"}, open: []string{"dnia", "w"}},
	"cs": {closing: []string{"napsal(a)", "napsala", "napsal"}, before: []string{"napsal(a)"}, open: []string{"dne"}},
	// Gmail: "Anna <a@b> ezt írta (időpont: 2024. márc. 5., K, 10:15):".
	"hu": {closing: []string{"írta"}, before: []string{"írta"}},
	"ru-uk": {closing: []string{"написал(а)", "написала", "написал", "пишет", "писал", "пише", "написав(ла)", "написав"},
		before: []string{"написал"}, open: []string{"в", "у"}},
	"tr":    {closing: []string{"yazdı"}},
	"id-ms": {closing: []string{"menulis"}, open: []string{"pada"}},
	// Gmail: "Anna <a@b> a scris pe mar., 5 mar. 2024 la 10:15:".
	"ro":       {closing: []string{"a scris"}, before: []string{"a scris"}},
	"ca":       {closing: []string{"va escriure"}, before: []string{"va escriure"}},
	"hr-sr-bs": {closing: []string{"napisao je", "napisala je", "je napisao", "je napisala", "napisao", "napisala"}},
	// Serbian in Cyrillic: "… Anna <a@b> је написао/ла:".
	"sr": {closing: []string{"је написао/ла", "је написао", "је написала", "написао је", "написала је"}},
	"is": {closing: []string{"skrifaði"}, before: []string{"skrifaði"}},
	"tl": {before: []string{"sinulat ni"}, open: []string{"noong"}},
	// Gmail in Thai, Hindi, Persian and Arabic.
	"th": {closing: []string{"เขียนว่า"}, open: []string{"เมื่อ"}},
	"hi": {closing: []string{"ने लिखा"}},
	"fa": {closing: []string{"نوشت"}},
	"ar": {before: []string{"كتب"}, open: []string{"في"}},
	"he": {open: []string{"בתאריך"}},
	"sk": {closing: []string{"napísal(a)", "napísala", "napísal"}},
	"sl": {closing: []string{"je napisal(a)", "je napisal", "je napisala"}},
	"bg": {closing: []string{"написа"}},
	"et": {closing: []string{"kirjutas"}},
	"lt": {closing: []string{"rašė"}},
	"lv": {closing: []string{"rakstīja"}},
	"el": {closing: []string{"έγραψε"}},
	"vi": {closing: []string{"đã viết"}, open: []string{"vào"}},
	// Thunderbird: "… さんは書きました:"; Outlook and Apple Mail: "…のメッセージ:", "…のメール：".
	"ja": {joined: []string{"のメッセージ", "のメール", "書きました"}},
	// "在 …" and "于 …" open a Chinese attribution with no space after them; see
	// opensLikeAttribution.
	"zh": {joined: []string{"写道", "寫道"}},
	// Gmail: "…님이 작성:"; Apple Mail: "… <a@b> 작성:".
	"ko": {closing: []string{"작성"}, joined: []string{"님이 작성"}},
}

// footerOpening is how one language's mobile footers begin: a verb ("sent",
// "envoyé") and a preposition ("from", "depuis"), then the device or app.
type footerOpening struct {
	verbs, preps []string
}

// footerOpenings are the first two words of "Sent from my iPhone" and its kin in
// each language. Footers that do not open this way (German "Von meinem iPhone
// gesendet", Finnish, Turkish, CJK, Outlook's "Get Outlook for iOS") are the
// expressions in footerLines.
var footerOpenings = map[string]footerOpening{
	"en":    {verbs: []string{"sent"}, preps: []string{"from", "via", "with", "by", "using", "on"}},
	"fr":    {verbs: []string{"envoyé", "envoye"}, preps: []string{"de", "depuis", "avec"}},
	"es-pt": {verbs: []string{"enviado", "enviada"}, preps: []string{"desde", "con", "de", "do", "da", "pelo"}},
	"it":    {verbs: []string{"inviato"}, preps: []string{"da", "dal", "con", "tramite"}},
	"nl":    {verbs: []string{"verzonden", "verstuurd"}, preps: []string{"vanaf", "van", "met"}},
	"de":    {verbs: []string{"gesendet"}, preps: []string{"von", "vom", "mit"}},
	"da-no": {verbs: []string{"sendt"}, preps: []string{"fra", "med"}},
	"sv":    {verbs: []string{"skickat", "skickades"}, preps: []string{"från", "med"}},
	"pl":    {verbs: []string{"wysłane", "wyslane"}, preps: []string{"z", "ze"}},
	"cs":    {verbs: []string{"odesláno", "odeslano"}, preps: []string{"z", "ze"}},
	"hr":    {verbs: []string{"poslano"}, preps: []string{"s", "sa", "iz"}},
	"ru":    {verbs: []string{"отправлено"}, preps: []string{"с", "со", "из"}},
	"uk":    {verbs: []string{"надіслано"}, preps: []string{"з", "із"}},
	"el":    {verbs: []string{"εστάλη"}, preps: []string{"από"}},
	"vi":    {verbs: []string{"gửi"}, preps: []string{"từ"}},
	"ro":    {verbs: []string{"trimis"}, preps: []string{"de", "din", "cu"}},
}

// selfWords are the pronouns a member uses for themselves before "wrote": "On 4
// March I wrote:" is their own text.
var selfWords = map[string]bool{"i": true, "we": true, "ich": true, "wir": true, "jeg": true,
	"jag": true, "vi": true, "ik": true, "wij": true, "j'ai": true}

// nameParticles are the lower-case words inside names ("Anna de Vries", "Karl von
// Berg"), which do not make "schreef Anna de Vries:" a sentence.
var nameParticles = map[string]bool{"de": true, "van": true, "von": true, "der": true, "den": true,
	"da": true, "di": true, "del": true, "della": true, "du": true, "la": true, "le": true,
	"dos": true, "das": true, "do": true, "ter": true, "ten": true, "y": true, "zu": true}

// separatorPhrases are the lines that Outlook, Thunderbird, Gmail, Apple Mail and
// the big webmails put above an original or forwarded message, without the dashes,
// stars and colon around them.
var separatorPhrases = map[string][]string{
	"en": {"original message", "forwarded message", "begin forwarded message", "reply message",
		"replied message", "original appointment"},
	"fr": {"message original", "message d'origine", "message transféré", "début du message réexpédié",
		"début du message transféré"},
	"de": {"ursprüngliche nachricht", "weitergeleitete nachricht", "anfang der weitergeleiteten nachricht",
		"antwort nachricht", "antwortnachricht", "originalnachricht"},
	"es": {"mensaje original", "mensaje reenviado", "inicio del mensaje reenviado"},
	"it": {"messaggio originale", "messaggio inoltrato", "inizio messaggio inoltrato"},
	"nl": {"oorspronkelijk bericht", "origineel bericht", "doorgestuurd bericht", "begin doorgestuurd bericht"},
	"sv": {"ursprungligt meddelande", "vidarebefordrat meddelande"},
	"da": {"oprindelig meddelelse", "videresendt meddelelse"},
	"no": {"opprinnelig melding", "videresendt melding"},
	"fi": {"alkuperäinen viesti", "välitetty viesti"},
	"pl": {"wiadomość oryginalna", "oryginalna wiadomość", "wiadomość przekazana", "przekazana wiadomość"},
	"cs": {"původní zpráva", "přeposlaná zpráva"},
	"sk": {"pôvodná správa"},
	"hu": {"eredeti üzenet", "továbbított üzenet"},
	"ru": {"исходное сообщение", "пересылаемое сообщение", "пересланное сообщение", "начало пересылаемого сообщения"},
	"pt": {"mensagem original", "mensagem encaminhada", "início da mensagem encaminhada"},
	// Turkish İ lower-cases to i and a combining dot: both spellings.
	"tr": {"orijinal mesaj", "iletilen mesaj", "orijinal ileti", "orijinal i\u0307leti", "iletilen ileti"},
	"ja": {"元のメッセージ", "転送されたメッセージ", "転送メッセージ"},
	"zh": {"原始邮件", "转发的邮件", "原始郵件", "轉寄的郵件", "回复的邮件"},
	"ko": {"원본 메시지", "전달된 메시지"},
	// Outlook's in the other languages it ships in.
	"el":    {"αρχικό μήνυμα", "προωθημένο μήνυμα"},
	"hr-sr": {"izvorna poruka", "originalna poruka", "proslijeđena poruka", "prosleđena poruka"},
	"sl":    {"originalno sporočilo", "posredovano sporočilo"},
	"ro":    {"mesaj original", "mesaj redirecționat", "mesaj redirecţionat"},
	"bg":    {"оригинално съобщение", "препратено съобщение"},
	"uk":    {"вихідне повідомлення", "оригінальне повідомлення", "переслане повідомлення"},
	"id-ms": {"pesan asli", "pesan yang diteruskan", "mesej asal"},
	"vi":    {"tin nhắn gốc", "thư gốc", "thư được chuyển tiếp"},
}

// headerFieldNames are the field names of an Outlook/Exchange header block
// ("From:", "Sent:", "De :", "差出人:") in each language.
var headerFieldNames = map[string][]string{
	"en":    {"from", "sent", "to", "cc", "bcc", "subject", "date", "reply-to"},
	"it":    {"da", "inviato", "data", "a", "oggetto", "risposta"},
	"de":    {"von", "gesendet", "an", "betreff", "datum", "kopie", "antwort an"},
	"es":    {"de", "enviado", "enviada", "enviado el", "para", "asunto", "fecha", "responder a"},
	"fr":    {"envoyé", "envoye", "à", "objet", "répondre à"},
	"nl":    {"van", "verzonden", "aan", "onderwerp", "beantwoorden"},
	"sv":    {"från", "skickat", "till", "ämne", "kopia"},
	"da-no": {"fra", "sendt", "til", "emne", "dato", "kopi"},
	"pl":    {"od", "wysłano", "do", "temat", "dw"},
	"cs":    {"odesláno", "komu", "předmět"},
	"pt":    {"assunto", "enviada em", "enviado em"},
	"ru-uk": {"от", "отправлено", "кому", "тема", "дата", "копия", "від", "надіслано"},
	"ja":    {"差出人", "送信日時", "宛先", "件名", "日付"},
	"zh":    {"发件人", "发送时间", "收件人", "主题", "抄送", "寄件者", "寄件日期", "收件者", "主旨", "日期"},
	"ko":    {"보낸 사람", "보낸 날짜", "받는 사람", "제목", "참조"},
	"tr":    {"kimden", "gönderildi", "kime", "konu", "tarih"},
	"fi":    {"lähettäjä", "lähetetty", "vastaanottaja", "aihe"},
	"vi":    {"từ", "đã gửi", "đến", "chủ đề"},
	"hu":    {"feladó", "elküldve", "címzett", "tárgy", "dátum", "másolatot kap"},
	"el":    {"από", "στάλθηκε", "προς", "θέμα", "κοιν"},
	"id-ms": {"dari", "dikirim", "kepada", "perihal", "subjek", "tanggal"},
	"hr-sl": {"poslano", "za", "predmet", "šalje", "primatelj"},
}

// fromFieldNames are the names above that say who sent a mail: the one header
// line that HTML-to-text conversion may leave of a quoted mail's header block.
var fromFieldNames = map[string]bool{
	"from": true, "von": true, "van": true, "från": true, "fra": true, "de": true, "da": true, "od": true,
	"от": true, "від": true, "kimden": true, "lähettäjä": true, "từ": true, "feladó": true, "από": true, "dari": true, "šalje": true,
	"差出人": true, "发件人": true, "寄件者": true, "보낸 사람": true,
}

// The tables above, flattened for lookups.
var (
	wroteWords, wroteJoined, wroteBeforeName, quotingWords []string
	openWords                                              = map[string]bool{}
	markerPhrases                                          = map[string]bool{}
	markerInitials                                         = map[rune]bool{}
	headerNames                                            = map[string]bool{}
	// wroteBeforeNameWords holds wroteBeforeName split into words.
	wroteBeforeNameWords [][]string
	// The first bytes of wroteBeforeName and the last bytes of wroteWords, in
	// any case: cheap tests that spare most lines the comparisons.
	wroteBeforeInitials, wroteFinals [256]bool
)

func init() {
	for _, w := range attributionLanguages {
		wroteWords = append(wroteWords, w.closing...)
		wroteJoined = append(wroteJoined, w.joined...)
		wroteBeforeName = append(wroteBeforeName, w.before...)
		quotingWords = append(quotingWords, w.quoting...)
		for _, o := range w.open {
			openWords[o] = true
		}
	}
	for _, v := range wroteBeforeName {
		wroteBeforeNameWords = append(wroteBeforeNameWords, strings.Fields(v))
		markEnd(&wroteBeforeInitials, v, false)
	}
	for _, v := range wroteWords {
		markEnd(&wroteFinals, v, true)
	}
	for _, phrases := range separatorPhrases {
		for _, p := range phrases {
			markerPhrases[p] = true
			r, _ := utf8.DecodeRuneInString(p)
			markerInitials[r] = true
		}
	}
	for _, names := range headerFieldNames {
		for _, n := range names {
			headerNames[strings.ToLower(n)] = true
		}
	}
}

// markEnd sets in set the first (or last) byte of v in lower, upper and title case.
func markEnd(set *[256]bool, v string, last bool) {
	for _, w := range []string{v, strings.ToUpper(v), strings.ToTitle(v)} {
		if last {
			set[w[len(w)-1]] = true
		} else {
			set[w[0]] = true
		}
	}
}
