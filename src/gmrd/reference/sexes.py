"""Sex labels (English, French, Spanish, Portuguese; UN Population Division codes) → 0 both, 1 male,
2 female."""

from __future__ import annotations

from gmrd.errors import InputError
from gmrd.reference.normalize import key

BOTH, MALE, FEMALE = 0, 1, 2
NAMES = {BOTH: "both", MALE: "male", FEMALE: "female"}

_LABELS: dict[str, int] = {}
_GROUPS = {
    BOTH: ["both", "both sexes", "total", "totals", "t", "all", "persons", "people", "population", "b", "bs",
           "mf", "m f", "m and f", "male and female", "males and females", "ambos sexos", "ambos",
           "total general", "les deux sexes", "deux sexes", "ensemble", "tous", "ambos os sexos",
           "hombres y mujeres", "hommes et femmes", "total des deux sexes", "0"],
    MALE: ["male", "males", "man", "men", "m", "boys", "boy", "masculine", "hombres", "hombre", "varones",
           "varon", "masculino", "masculinos", "h", "homme", "hommes", "masculin", "garcons", "homens",
           "sexo masculino", "sexe masculin", "1"],
    FEMALE: ["female", "females", "woman", "women", "f", "girls", "girl", "feminine", "mujeres", "mujer",
             "femenino", "femeninos", "femme", "femmes", "feminin", "filles", "mulheres", "sexo femenino",
             "sexe feminin", "2"],
}
for _code, _names in _GROUPS.items():
    for _name in _names:
        _LABELS[key(_name)] = _code


def parse_sex(label: object, *, file: str | None = None, row: int | None = None,
              field: str | None = None) -> int:
    """0 (both sexes), 1 (male) or 2 (female); :class:`~gmrd.errors.InputError` for anything else."""
    if isinstance(label, bool):
        raise InputError(f"invalid sex {label!r}", file=file, row=row, field=field)
    if isinstance(label, int) or (isinstance(label, float) and label.is_integer()):
        if int(label) in NAMES:
            return int(label)
        raise InputError(f"sex code {label!r} is not 0, 1 or 2", file=file, row=row, field=field)
    code = _LABELS.get(key(label))
    if code is None:
        raise InputError(f"sex label {str(label)!r} is not recognized (use both, male or female)",
                         file=file, row=row, field=field)
    return code


def sex_name(code: int) -> str:
    """"both", "male" or "female"."""
    return NAMES[code]
