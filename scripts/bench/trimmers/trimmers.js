// trimmers.js runs one npm trimmer over cases read as JSON from stdin and writes
// [{id, text}] to stdout. Each trimmer runs in a process of its own because
// emailreplyparser rewrites String.prototype (trim, reverse, ...), which would
// change what the others do.
'use strict';

const run = {
  planer: () => {
    const planer = require('planer');
    return (body) => planer.extractFrom(body, 'text/plain');
  },
  'email-reply-parser': () => {
    const m = require('email-reply-parser');
    const EmailReplyParser = m.default || m; // an ES module compiled to CommonJS
    return (body) => new EmailReplyParser().read(body).getVisibleText();
  },
  'node-email-reply-parser': () => {
    const replyParser = require('node-email-reply-parser');
    return (body) => replyParser(body, true);
  },
  emailreplyparser: () => {
    const { EmailReplyParser } = require('emailreplyparser');
    return (body) => EmailReplyParser.parse_reply(body);
  },
};

if (require.main === module) {
  const name = process.argv[2];
  const trimmer = run[name]();
  let input = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (d) => { input += d; });
  process.stdin.on('end', () => {
    const out = JSON.parse(input).map((c) => {
      try {
        return { id: c.id, text: String(trimmer(c.body)) };
      } catch (e) {
        return { id: c.id, text: '', error: String(e && e.message || e) };
      }
    });
    process.stdout.write(JSON.stringify(out));
  });
}

module.exports = { names: Object.keys(run) };
