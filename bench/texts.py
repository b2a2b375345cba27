"""The words generated data is made of: close enough to what delegations write that search,
sorting and report layout meet realistic lengths and vocabulary."""

import random

FIRST_NAMES = [
    "Anna", "Marek", "Sophie", "Lars", "Elena", "Tomás", "Ingrid", "Jonas", "Aylin", "Pierre",
    "Katarzyna", "Miguel", "Eva", "Hans", "Ioana", "Luca", "Maria", "Peter", "Zsófia", "Emma",
]  # fmt: skip
LAST_NAMES = [
    "Novak", "Jensen", "Dubois", "Kowalski", "Rossi", "Schmidt", "Popescu", "Smith", "Virtanen",
    "Garcia", "Horvat", "Papadopoulos", "Andersen", "Yilmaz", "Berg", "Costa", "Lambert", "Kask",
]  # fmt: skip
PLACES = ["Brussels", "Oslo", "Lisbon", "Vilnius", "Madrid", "Montréal", "Sofia", "Copenhagen"]
SUBJECTS = [
    "Economic Security", "Critical Minerals", "Energy Security", "Hybrid Threats",
    "Emerging and Disruptive Technologies", "Cyber Defence", "Climate and Security",
    "Democratic Resilience", "Defence Industrial Production", "Space Security",
    "Arms Control", "Countering Disinformation", "Maritime Security", "Sanctions Enforcement",
]  # fmt: skip
PREAMBULAR_VERBS = [
    "Recognising", "Stressing", "Noting", "Concerned", "Welcoming", "Recalling", "Aware",
    "Convinced", "Underlining", "Alarmed",
]  # fmt: skip
PREAMBLES = [
    "that strategic competitors exploit economic dependencies to coerce Allies;",
    "the importance of secure and diversified supply chains for defence production;",
    "that disinformation campaigns target electoral processes across the Alliance;",
    "the commitments made at the Washington Summit in 2024;",
    "that critical infrastructure remains exposed to sabotage and cyber attacks;",
]
COMMITMENT_VERBS = [
    "strengthen", "coordinate", "review", "expand", "adopt", "implement", "fund", "harmonise",
    "screen", "monitor",
]  # fmt: skip
COMMITMENT_OBJECTS = [
    "export controls on dual-use technologies with like-minded partners;",
    "investment screening mechanisms for critical infrastructure;",
    "stockpiles of critical minerals and diversify their sources;",
    "national strategies against hybrid threats and foreign interference;",
    "sanctions enforcement, including against circumvention through third countries;",
    "research security policies in universities and laboratories;",
    "parliamentary oversight of defence procurement and industrial capacity;",
    "the protection of undersea cables and pipelines;",
    "joint procurement of ammunition and air defence systems;",
    "public awareness programmes on disinformation;",
]
THEMES = [
    ("Export controls", "export-controls"),
    ("Artificial intelligence", "ai"),
    ("Supply chains", "supply-chains"),
    ("Sanctions", "sanctions"),
    ("Critical infrastructure", "critical-infrastructure"),
    ("Energy", "energy"),
]
ROUND_NAMES = [
    "Progress ahead of the Spring Session",
    "Progress ahead of the Annual Session",
    "Progress report for the previous Annual Session",
]
TOPICS = [
    "export controls", "investment screening", "critical minerals", "semiconductor supply",
    "sanctions circumvention", "cyber resilience", "undersea infrastructure", "research security",
    "energy diversification", "ammunition production", "disinformation", "foreign interference",
    "drone defence", "space situational awareness", "port security", "5G networks",
]  # fmt: skip
TITLE_PATTERNS = {
    "legislation": ["Act on {topic} ({year})", "Amendment to the law on {topic}"],
    "regulation": ["Regulation on {topic}", "Ministerial decree on {topic}"],
    "policy": ["National strategy on {topic}", "Action plan for {topic} {year}–{next}"],
    "funding": ["Budget line for {topic} in {year}", "Grant programme: {topic}"],
    "enforcement": ["Enforcement campaign: {topic}", "Prosecution of {topic} breaches"],
    "cooperation": ["Memorandum with partners on {topic}", "Joint exercise on {topic}"],
    "parliamentary": ["Committee hearing on {topic}", "Parliamentary question on {topic}"],
    "other": ["Public consultation on {topic}", "Report of the national council on {topic}"],
}
DESCRIPTIONS = [
    "The {body} adopted measures on {topic}, in line with the Assembly's recommendation.",
    "Follow-up to the resolution: the {body} published guidance on {topic} for public bodies.",
    "The {body} allocated additional staff and funding to {topic} and reports twice a year.",
    "A review of {topic} was completed; its recommendations are being implemented by the {body}.",
    "The {body} coordinated with Allies and the European Union on {topic}.",
]
BODIES = ["government", "parliament", "ministry of defence", "ministry of economy", "regulator"]
JUSTIFICATIONS = [
    "Legislation in force and enforced; see the attached act.",
    "Not applicable: the nation has no industry in this sector.",
    "Partly covered by the national strategy; secondary legislation pending.",
    "Work started after the last Annual Session.",
]
RETURN_COMMENTS = [
    "Please attach the published text of the act.",
    "The link does not open; please add the official source.",
    "Please say which part of the commitment this addresses.",
]
EVIDENCE_TITLES = [
    "Official journal publication", "Ministry press release", "Parliamentary record",
    "Strategy document", "Budget law annex", "Committee report", "Court decision",
    "Implementation report", "Government decree", "Joint statement",
]  # fmt: skip
SITES = [
    "https://www.legislation.example.gov",
    "https://parliament.example.org/records",
    "https://www.government.example.net/press",
]


def action_title(action_type: str, rng: random.Random) -> str:
    year = rng.randint(2019, 2026)
    pattern = rng.choice(TITLE_PATTERNS[action_type])
    return pattern.format(topic=rng.choice(TOPICS), year=year, next=year + 2)


def action_description(rng: random.Random) -> str:
    sentences = rng.sample(DESCRIPTIONS, rng.randint(1, 3))
    return " ".join(s.format(body=rng.choice(BODIES), topic=rng.choice(TOPICS)) for s in sentences)


def evidence_pdf(text: str) -> bytes:
    """A small, real one-page PDF: enough for downloads and type detection to work on it."""
    safe = text.replace("\\", "").replace("(", "").replace(")", "")
    stream = f"BT /F1 12 Tf 72 720 Td ({safe}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
