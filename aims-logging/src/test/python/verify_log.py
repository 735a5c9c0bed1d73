#!/usr/bin/python3
"""An independent verifier of AIMS decision logs, written only from docs/decision-log.md.

Python standard library plus the `openssl` command (OpenSSL 3) for Ed25519. It shares no code
with the Java verifier; IndependentVerifierTest runs both over the same logs and checks that
they agree.

usage: verify_log.py <log-dir-or-file> [--public-key <pem>] [--checkpoints <file>]...

Exit codes (docs/decision-log.md, "aims verify: output and exit codes"):
  0  VERIFIED (with a key) or NOT AUTHENTICATED (without)
  1  BROKEN at seq <n>
  2  NOT A LOG, or a usage or I/O error
"""

import base64
import decimal
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time

SEGMENT = re.compile(r"decisions-(\d{20})\.jsonl")
HEX64 = re.compile(r"[0-9a-f]{64}")
HEX16 = re.compile(r"[0-9a-f]{16}")
TS_V2 = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{6})Z")
TS_V1 = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z")
USAGE = "usage: verify_log.py <log-dir-or-file> [--public-key <pem>] [--checkpoints <file>]..."
ZERO_HASH = "0" * 64
HASH_OPEN = b',"hash":"'
MARGIN_NS = 60 * 10**9
DURABILITIES = ("SYNC", "GROUP", "ASYNC")
ENVELOPE_NOT_SIGNED = ("v", "seq", "prev", "hash", "type", "signature")
CHECKPOINT_INTS_V2 = ("from_seq", "to_seq", "count", "checkpoint_every", "checkpoint_interval_ms", "ts_clamped")
CHECKPOINT_INTS_V1 = ("from_seq", "to_seq", "count")


class Broken(Exception):
    def __init__(self, seq, file, line, reason):
        super().__init__(reason)
        self.seq, self.file, self.line, self.reason = seq, file, line, reason

    def __str__(self):
        where = "%s line %d" % (self.file, self.line)
        if self.seq is None:
            return "BROKEN: %s: %s" % (where, self.reason)
        return "BROKEN at seq %d: %s: %s" % (self.seq, where, self.reason)


class NotALog(Exception):
    pass


class Usage(Exception):
    pass


# ---------------------------------------------------------------- JSON and the canonical form

class Num:
    """A JSON number token, kept as written: the canonical check needs the token, not a value."""

    __slots__ = ("token", "is_int")

    def __init__(self, token, is_int):
        self.token, self.is_int = token, is_int

    def int_value(self):
        return int(self.token) if self.is_int else None


class Invalid(Exception):
    pass


def _pairs(pairs):
    obj = {}
    for k, v in pairs:
        if k in obj:
            raise Invalid("key '%s' appears twice" % k)
        obj[k] = v
    return obj


def _constant(name):
    raise Invalid("%s is not JSON" % name)


def parse_json(text):
    return json.loads(text, object_pairs_hook=_pairs, parse_int=lambda t: Num(t, True),
                      parse_float=lambda t: Num(t, False), parse_constant=_constant)


def utf16_key(k):
    return k.encode("utf-16-be", "surrogatepass")


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def canon_string(s):
    out = ['"']
    for ch in s:
        c = ord(ch)
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif c < 0x20 or 0xD800 <= c <= 0xDFFF:
            # json.loads joins an escaped surrogate pair into one character, so a surrogate here is lone
            out.append("\\u%04x" % c)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _layout(digits, n):
    """digits d1..dk (no leading or trailing zero) times 10^(n-k), laid out as ECMAScript Number::toString."""
    k = len(digits)
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * (-n) + digits
    e = n - 1
    mant = digits[0] + ("." + digits[1:] if k > 1 else "")
    return mant + "e" + ("+" if e >= 0 else "-") + str(abs(e))


def _digits_of(text):
    """Digits and decimal point position n of a positive decimal such as repr() writes: '1.5e+16', '0.001', '123.0'."""
    if "e" in text:
        mant, exp = text.split("e")
        exp = int(exp)
    else:
        mant, exp = text, 0
    if "." in mant:
        ip, fp = mant.split(".")
    else:
        ip, fp = mant, ""
    allds = ip + fp
    n = len(ip) + exp
    stripped = allds.lstrip("0")
    n -= len(allds) - len(stripped)
    return stripped.rstrip("0"), n


def number_v2(d):
    """ECMAScript Number::toString of a finite double: repr() gives the shortest round-trip digits, nearest first."""
    if d == 0:
        return "0"
    sign = "-" if d < 0 else ""
    digits, n = _digits_of(repr(abs(d)))
    return sign + _layout(digits, n)


def number_v1(d):
    """Schema version 1: the shortest half-even rounding of the exact value that reads back as d."""
    if d == 0:
        return "0"
    sign = "-" if d < 0 else ""
    exact = decimal.Decimal(abs(d))
    chosen = None
    for prec in range(1, 18):
        r = decimal.Context(prec=prec, rounding=decimal.ROUND_HALF_EVEN).plus(exact)
        if float(r) == abs(d) or prec == 17:
            chosen = r
            break
    _, ds, exp = chosen.as_tuple()
    digits = "".join(map(str, ds))
    n = len(digits) + exp
    stripped = digits.rstrip("0")
    return sign + _layout(stripped, n)


def canon_number(num, version):
    if version == 1 and num.is_int:
        return str(int(num.token))
    d = float(num.token)
    if d != d or d in (float("inf"), float("-inf")):
        raise Invalid("number %s is not a finite double" % num.token)
    return number_v2(d) if version >= 2 else number_v1(d)


def canon(value, version):
    if isinstance(value, dict):
        keys = sorted(value, key=utf16_key)
        return "{" + ",".join(canon_string(k) + ":" + canon(value[k], version) for k in keys) + "}"
    if isinstance(value, list):
        return "[" + ",".join(canon(v, version) for v in value) + "]"
    if isinstance(value, str):
        return canon_string(value)
    if isinstance(value, Num):
        return canon_number(value, version)
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    raise Invalid("unexpected value %r" % (value,))


# ---------------------------------------------------------------- timestamps

def _days_from_civil(y, m, d):
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _month_days(y, m):
    if m == 2:
        return 29 if (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)) else 28
    return 30 if m in (4, 6, 9, 11) else 31


def parse_ts(text, version):
    """Nanoseconds since the epoch, or None if the text is not a timestamp of that version."""
    if not isinstance(text, str):
        return None
    m = (TS_V2 if version >= 2 else TS_V1).fullmatch(text)
    if not m:
        return None
    y, mo, d, h, mi, s = (int(g) for g in m.groups()[:6])
    frac = m.group(7) or ""
    if not (1 <= mo <= 12 and 1 <= d <= _month_days(y, mo) and h <= 23 and mi <= 59 and s <= 59):
        return None
    days = _days_from_civil(y, mo, d)
    return ((days * 86400 + h * 3600 + mi * 60 + s) * 10**9) + int((frac + "000000000")[:9])


# ---------------------------------------------------------------- crypto

def merkle_root(leaves):
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return hashlib.sha256(b"\x01" + merkle_root(leaves[:k]) + merkle_root(leaves[k:])).digest()


class PublicKey:
    def __init__(self, path):
        try:
            with open(path, "rb") as f:
                text = f.read().decode("ascii")
        except (OSError, UnicodeDecodeError) as e:
            raise Usage("cannot read public key %s: %s" % (path, e))
        m = re.search(r"-----BEGIN PUBLIC KEY-----(.*?)-----END PUBLIC KEY-----", text, re.S)
        if not m:
            raise Usage("%s has no PUBLIC KEY block" % path)
        try:
            self.der = base64.b64decode("".join(m.group(1).split()), validate=True)
        except ValueError:
            raise Usage("%s: bad base64" % path)
        self.path = path
        self.key_id = hashlib.sha256(self.der).hexdigest()[:16]

    def verify(self, message, signature_b64):
        if not isinstance(signature_b64, str):
            return False
        try:
            sig = base64.b64decode(signature_b64, validate=True)
        except ValueError:
            return False
        if len(sig) != 64 or base64.b64encode(sig).decode("ascii") != signature_b64:
            return False
        with tempfile.TemporaryDirectory() as tmp:
            msg_file, sig_file = os.path.join(tmp, "msg"), os.path.join(tmp, "sig")
            with open(msg_file, "wb") as f:
                f.write(message)
            with open(sig_file, "wb") as f:
                f.write(sig)
            r = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", self.path, "-rawin",
                                "-in", msg_file, "-sigfile", sig_file], capture_output=True)
            return r.returncode == 0


def signed_message(cp, stream, version):
    fields = {k: v for k, v in cp.items() if k not in ENVELOPE_NOT_SIGNED}
    fields["stream"] = stream
    return canon(fields, version).encode("utf-8")


# ---------------------------------------------------------------- the log

def checkpoint_problem(cp, version):
    """Why the checkpoint object is not well formed, or None."""
    for name in (CHECKPOINT_INTS_V2 if version >= 2 else CHECKPOINT_INTS_V1):
        v = cp.get(name)
        if not isinstance(v, Num) or not v.is_int or int(v.token) < 0:
            return "checkpoint field %s is missing or not an integer" % name
    for name in ("checkpoint_every", "checkpoint_interval_ms"):
        if name in cp and version >= 2 and int(cp[name].token) < 1:
            return "checkpoint field %s is below 1" % name
    for name in ("head", "merkle_root"):
        if not isinstance(cp.get(name), str) or not HEX64.fullmatch(cp[name]):
            return "checkpoint field %s is not 64 lower-case hex digits" % name
    if cp.get("durability") not in DURABILITIES:
        return "checkpoint durability %r is not one of SYNC, GROUP, ASYNC" % (cp.get("durability"),)
    if ("key_id" in cp) != ("signature" in cp):
        return "checkpoint has a key_id or a signature but not both"
    if "key_id" in cp and (not isinstance(cp["key_id"], str) or not HEX16.fullmatch(cp["key_id"])):
        return "checkpoint key_id is not 16 lower-case hex digits"
    if "signature" in cp and not isinstance(cp["signature"], str):
        return "checkpoint signature is not a string"
    return None


class Verifier:
    def __init__(self, target, key, anchors, now_ns):
        self.target, self.key, self.anchors, self.now_ns = target, key, anchors, now_ns
        self.first_seq = None
        self.next_seq = None
        self.prev_hash = None
        self.stream = None
        self.last_ts_ns = None
        self.first_ts = self.last_ts = None
        self.leaves = []
        self.leaves_from = None
        self.records = 0
        self.checkpoints = {}          # seq -> (object without v, prev, hash; version)
        self.last_checkpoint = None    # (seq, object, version)
        self.signed = self.signature_unchecked = self.unsigned = 0
        self.retention = []            # (seq, object)
        self.tail = []                 # (seq, ts_ns) after the last checkpoint
        self.head = None
        self.notes = []
        self.anchor_lines = []
        self.clamped = 0

    def files(self):
        if os.path.isdir(self.target):
            names = sorted((n for n in os.listdir(self.target) if SEGMENT.fullmatch(n)),
                           key=lambda n: int(SEGMENT.fullmatch(n).group(1)))
            if not names:
                raise NotALog("no decision log segments (decisions-*.jsonl) in %s" % self.target)
            return [os.path.join(self.target, n) for n in names]
        if not os.path.isfile(self.target):
            raise Usage("%s does not exist" % self.target)
        if not SEGMENT.fullmatch(os.path.basename(self.target)) and not self.first_line_is_record(self.target):
            raise NotALog("%s is neither a segment (decisions-<20 digits>.jsonl) nor a file of log records"
                          % self.target)
        return [self.target]

    @staticmethod
    def first_line_is_record(path):
        with open(path, "rb") as f:
            first = f.readline()
        try:
            obj = parse_json(first.decode("utf-8"))
        except (ValueError, Invalid):
            return False
        return isinstance(obj, dict) and all(k in obj for k in ("v", "seq", "prev", "hash"))

    def run(self):
        for path in self.files():
            self.read_segment(path)
        self.finish()

    def read_segment(self, path):
        name = os.path.basename(path)
        with open(path, "rb") as f:
            data = f.read()
        m = SEGMENT.fullmatch(name)
        expected = self.next_seq if self.next_seq is not None else (int(m.group(1)) if m else 1)
        if not data:
            raise Broken(expected, name, 1, "empty segment")
        lines = data.split(b"\n")
        if lines[-1] != b"":
            raise Broken(expected, name, len(lines), "incomplete last line (a torn tail)")
        for number, raw in enumerate(lines[:-1], start=1):
            self.line(raw, name, number)

    def line(self, raw, file, number):
        seq_hint = self.next_seq if self.next_seq is not None else 1

        def broken(reason, seq=None):
            return Broken(seq if seq is not None else seq_hint, file, number, reason)

        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            raise broken("not valid UTF-8 at byte %d" % e.start)
        try:
            obj = parse_json(text)
        except (ValueError, Invalid) as e:
            raise broken("not a JSON record: %s" % e)
        if not isinstance(obj, dict):
            raise broken("not a JSON object")
        v, seq = obj.get("v"), obj.get("seq")
        if not isinstance(v, Num) or not v.is_int or int(v.token) not in (1, 2):
            raise broken("v is not a known schema version (1 or 2)")
        version = int(v.token)
        if not isinstance(seq, Num) or not seq.is_int or int(seq.token) < 1:
            raise broken("seq is not a positive integer")
        seq_n = int(seq.token)
        seq_hint = seq_n if self.next_seq is None else self.next_seq
        for name in ("stream", "type", "ts"):
            if not isinstance(obj.get(name), str):
                raise broken("%s is missing or not a string" % name)
        for name in ("prev", "hash"):
            if not isinstance(obj.get(name), str) or not HEX64.fullmatch(obj[name]):
                raise broken("%s is not 64 lower-case hex digits" % name)
        # the hash, on the bytes
        suffix = HASH_OPEN + obj["hash"].encode("ascii") + b'"}'
        if not raw.endswith(suffix):
            raise broken("the line does not end with its hash member")
        body = raw[:-len(suffix)] + b"}"
        if hashlib.sha256(body).hexdigest() != obj["hash"]:
            raise broken("hash does not match the record's content")
        # the canonical form
        without_hash = {k: val for k, val in obj.items() if k != "hash"}
        try:
            again = canon(without_hash, version).encode("utf-8")
        except Invalid as e:
            raise broken("not in canonical form: %s" % e)
        if again != body:
            raise broken("not in canonical form (re-canonicalised bytes differ)")
        # the chain
        if self.next_seq is None:
            self.first_seq = self.next_seq = seq_n
            self.leaves_from = seq_n
            self.prev_hash = ZERO_HASH if seq_n == 1 else obj["prev"]
            self.stream = obj["stream"]
            self.first_prev = obj["prev"]
        if seq_n != self.next_seq:
            raise broken("seq %d where %d was expected" % (seq_n, self.next_seq))
        if obj["prev"] != self.prev_hash:
            raise broken("prev does not match the hash of seq %d (chain broken)" % (seq_n - 1)
                         if seq_n > 1 else "the first record's prev is not 64 zeros")
        if obj["stream"] != self.stream:
            raise broken("stream '%s' where the log's stream is '%s'" % (obj["stream"], self.stream))
        ts_ns = parse_ts(obj["ts"], version)
        if ts_ns is None:
            raise broken("ts '%s' is not in the form of schema version %d" % (obj["ts"], version))
        if self.last_ts_ns is not None and ts_ns < self.last_ts_ns:
            raise broken("ts %s is before the previous record's %s" % (obj["ts"], self.last_ts))
        if ts_ns > self.now_ns + MARGIN_NS:
            raise broken("ts %s is in the future" % obj["ts"])
        if obj["type"] == "log.checkpoint":
            self.checkpoint(obj, version, seq_n, broken)
        else:
            self.leaves.append(bytes.fromhex(obj["hash"]))
            self.records += 1
            self.tail.append((seq_n, ts_ns))
            if obj["type"] == "log.retention":
                self.retention.append((seq_n, obj))
        if self.first_ts is None:
            self.first_ts = obj["ts"]
        self.last_ts, self.last_ts_ns = obj["ts"], ts_ns
        self.prev_hash = obj["hash"]
        self.head = obj["hash"]
        self.next_seq = seq_n + 1

    def checkpoint(self, obj, version, seq, broken):
        problem = checkpoint_problem(obj, version)
        if problem:
            raise broken(problem)
        frm, to, count = (int(obj[k].token) for k in ("from_seq", "to_seq", "count"))
        if frm != self.leaves_from or to != seq - 1 or count != len(self.leaves):
            raise broken("checkpoint covers %d..%d (%d records) but the log has %d..%d (%d)"
                         % (frm, to, count, self.leaves_from, seq - 1, len(self.leaves)))
        if obj["head"] != obj["prev"]:
            raise broken("checkpoint head does not match the previous record")
        if merkle_root(self.leaves).hex() != obj["merkle_root"]:
            raise broken("checkpoint Merkle root does not match the records it covers")
        if self.key is not None:
            if "signature" not in obj:
                raise broken("checkpoint is not signed")
            if obj["key_id"] != self.key.key_id:
                raise broken("checkpoint is signed by key id %s but the given key is key id %s"
                             % (obj["key_id"], self.key.key_id))
            if not self.key.verify(signed_message(obj, self.stream, version), obj["signature"]):
                raise broken("checkpoint signature is not valid for the given public key")
            self.signed += 1
        elif "signature" in obj:
            self.signature_unchecked += 1
        else:
            self.unsigned += 1
        if "ts_clamped" in obj:
            self.clamped += int(obj["ts_clamped"].token)
        self.checkpoints[seq] = ({k: val for k, val in obj.items() if k not in ("v", "prev", "hash")}, version)
        self.last_checkpoint = (seq, obj, version)
        self.leaves = []
        self.leaves_from = seq + 1
        self.tail = []

    def finish(self):
        if self.next_seq is None:
            raise Broken(1, os.path.basename(self.target), 1, "the log has no records")
        last_covered = self.last_checkpoint[0] - 1 if self.last_checkpoint else self.first_seq - 1
        if self.first_seq > 1:
            ok = False
            for seq, r in self.retention:
                kept, through = r.get("kept_from_seq"), r.get("removed_through_seq")
                if (isinstance(kept, Num) and kept.is_int and int(kept.token) == self.first_seq
                        and isinstance(through, Num) and through.is_int and int(through.token) == self.first_seq - 1
                        and r.get("removed_through_hash") == self.first_prev
                        and (self.key is None or seq <= last_covered)):
                    ok = True
                    self.notes.append("the log begins at seq %d: record seq %d says %s segment(s) through seq %d"
                                      " were removed by retention"
                                      % (self.first_seq, seq, canon(r.get("removed_segments"), 2), self.first_seq - 1))
                    break
            if not ok:
                raise Broken(self.first_seq, self.first_file(), 1,
                             "the log begins at seq %d but no signed retention record says records before it"
                             " were removed" % self.first_seq)
        if self.key is not None:
            if self.last_checkpoint is None:
                raise Broken(self.first_seq, self.first_file(), 1, "no signed checkpoint: no record is covered")
            cseq, cp, version = self.last_checkpoint
            if self.tail:
                every = int(cp["checkpoint_every"].token) if version >= 2 else 0
                interval_ns = int(cp["checkpoint_interval_ms"].token) * 10**6 if version >= 2 else 0
                cp_ts = parse_ts(cp["ts"], version)
                if len(self.tail) > every or self.tail[-1][1] > cp_ts + interval_ns + MARGIN_NS:
                    raise Broken(cseq + 1, self.first_file(), 0,
                                 "%d record(s) after the last signed checkpoint (seq %d) exceed the spacing it"
                                 " declares (%d records, %d ms + 60 s): they are not covered"
                                 % (len(self.tail), cseq, every, interval_ns // 10**6))
                self.notes.append("%d record(s) after the last checkpoint (seq %d..%d) are within the allowed"
                                  " tail, not yet signed" % (len(self.tail), cseq + 1, self.next_seq - 1))
        elif self.tail:
            self.notes.append("%d record(s) after the last checkpoint (seq %d..)" % (len(self.tail), self.tail[0][0]))
        for path in self.anchors:
            self.check_anchors(path)
        if self.clamped:
            self.notes.append("%d record(s) had their ts clamped by the writer" % self.clamped)

    def first_file(self):
        return os.path.basename(self.files()[0])

    def check_anchors(self, path):
        name = os.path.basename(path)
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            raise Usage("cannot read %s: %s" % (path, e))
        count = skipped = 0
        last = None
        for number, raw in enumerate(data.split(b"\n"), start=1):
            if not raw.strip():
                continue
            try:
                obj = parse_json(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError, Invalid) as e:
                raise Broken(None, name, number, "not a published checkpoint: %s" % e)
            seq = obj.get("seq") if isinstance(obj, dict) else None
            if (not isinstance(obj, dict) or obj.get("type") != "log.checkpoint" or not isinstance(seq, Num)
                    or not seq.is_int or not isinstance(obj.get("stream"), str) or not isinstance(obj.get("ts"), str)):
                raise Broken(None, name, number, "not a published checkpoint (type, stream, seq, ts)")
            seq_n = int(seq.token)
            version = 2 if "checkpoint_every" in obj else 1
            problem = checkpoint_problem(obj, version)
            if problem:
                raise Broken(seq_n, name, number, problem)
            if obj["stream"] != self.stream:
                raise Broken(seq_n, name, number, "published checkpoint is for stream '%s', the log's is '%s'"
                             % (obj["stream"], self.stream))
            if self.key is not None:
                if "signature" not in obj:
                    raise Broken(seq_n, name, number, "published checkpoint is not signed")
                if obj["key_id"] != self.key.key_id:
                    raise Broken(seq_n, name, number, "published checkpoint is signed by key id %s but the given"
                                 " key is key id %s" % (obj["key_id"], self.key.key_id))
                if not self.key.verify(signed_message(obj, obj["stream"], version), obj["signature"]):
                    raise Broken(seq_n, name, number, "published checkpoint signature is not valid")
            count += 1
            last = seq_n if last is None else max(last, seq_n)
            if seq_n < self.first_seq:
                skipped += 1
                continue
            if seq_n >= self.next_seq:
                raise Broken(seq_n, name, number, "a checkpoint was published at seq %d but the log ends at seq %d:"
                             " records were cut off" % (seq_n, self.next_seq - 1))
            mine = self.checkpoints.get(seq_n)
            if mine is None or canon(mine[0], mine[1]) != canon(obj, mine[1]):
                raise Broken(seq_n, name, number, "the log's checkpoint at seq %d differs from the published one:"
                             " the log was rewritten" % seq_n)
        if count == 0:
            self.anchor_lines.append("anchors: %s: holds no published checkpoint, so nothing could be compared" % path)
            return
        self.anchor_lines.append("anchors: %s: %d published checkpoint(s) checked, last seq %d%s"
                                 % (path, count, last, ", %d before the log's first seq skipped" % skipped
                                    if skipped else ""))

    def summary(self):
        span = "seq %d..%d" % (self.first_seq, self.next_seq - 1)
        if self.key is not None:
            first = ("VERIFIED: %d records, %s, %d signed checkpoints (key id %s), head %s, %s .. %s"
                     % (self.records, span, self.signed, self.key.key_id, self.head, self.first_ts, self.last_ts))
            rest = []
        else:
            first = ("NOT AUTHENTICATED: chain consistent, %d records, %s, %d checkpoints, head %s, %s .. %s"
                     % (self.records, span, self.signature_unchecked + self.unsigned, self.head, self.first_ts,
                        self.last_ts))
            rest = ["note: nothing was authenticated (no public key given): %d checkpoint(s) carry a signature that"
                    " was not checked, %d are unsigned" % (self.signature_unchecked, self.unsigned)]
        anchors = self.anchor_lines or ["anchors: none: cutting records off the end after the last checkpoint"
                                        " cannot be detected"]
        return [first] + anchors + rest + ["note: " + n for n in self.notes]


def main(argv):
    target, key_path, anchors = None, None, []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("-h", "--help"):
            print(USAGE)
            return 0
        if a in ("--public-key", "--checkpoints"):
            if i + 1 >= len(argv):
                raise Usage("%s needs a file" % a)
            if a == "--public-key":
                key_path = argv[i + 1]
            else:
                anchors.append(argv[i + 1])
            i += 2
            continue
        if a.startswith("-") or target is not None:
            raise Usage("unexpected argument '%s'" % a)
        target = a
        i += 1
    if target is None:
        raise Usage("a log directory or file is needed")
    key = PublicKey(key_path) if key_path else None
    for p in anchors:
        if not os.path.isfile(p):
            raise Usage("%s does not exist" % p)
    v = Verifier(target, key, anchors, time.time_ns())
    v.run()
    print("\n".join(v.summary()))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except Broken as b:
        print(b)
        sys.exit(1)
    except NotALog as e:
        print("NOT A LOG: %s" % e)
        sys.exit(2)
    except Usage as e:
        print("verify_log.py: %s" % e, file=sys.stderr)
        print(USAGE, file=sys.stderr)
        sys.exit(2)
    except OSError as e:
        print("verify_log.py: %s" % e, file=sys.stderr)
        sys.exit(2)
