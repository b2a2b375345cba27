"""Reference data every installation starts with: the Assembly's committees and NATO's member
nations. Used by a data migration, so keep it plain data."""

from django.utils.translation import gettext_noop

# (code, name) of the Assembly's five committees. The names are stored in English and marked
# for the catalogue, which gives the Assembly's French names (Committee.__str__ translates).
COMMITTEES = [
    ("CDS", gettext_noop("Committee on Democracy and Security")),
    ("DSC", gettext_noop("Defence and Security Committee")),
    ("ESC", gettext_noop("Economics and Security Committee")),
    ("PC", gettext_noop("Political Committee")),
    ("STC", gettext_noop("Science and Technology Committee")),
]

# ISO 3166-1 alpha-2 code and year of accession of NATO's 32 member nations.
MEMBER_NATIONS = [
    ("AL", 2009), ("BE", 1949), ("BG", 2004), ("CA", 1949), ("HR", 2009), ("CZ", 1999),
    ("DK", 1949), ("EE", 2004), ("FI", 2023), ("FR", 1949), ("DE", 1955), ("GR", 1952),
    ("HU", 1999), ("IS", 1949), ("IT", 1949), ("LV", 2004), ("LT", 2004), ("LU", 1949),
    ("ME", 2017), ("NL", 1949), ("MK", 2020), ("NO", 1949), ("PL", 1999), ("PT", 1949),
    ("RO", 2004), ("SK", 2004), ("SI", 2004), ("ES", 1982), ("SE", 2024), ("TR", 1952),
    ("GB", 1949), ("US", 1949),
]  # fmt: skip


def ensure_reference_data(committee_model, member_model, delegation_model) -> None:
    """Creates what is missing. Takes the model classes so that the data migration can pass
    its historical models and tests that empty the database can restore the real ones."""
    for code, name in COMMITTEES:
        committee_model.objects.get_or_create(code=code, defaults={"name": name})
    for country, joined in MEMBER_NATIONS:
        member, _ = member_model.objects.get_or_create(
            country=country, defaults={"kind": "member", "joined": joined}
        )
        delegation_model.objects.get_or_create(member=member)
