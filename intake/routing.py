"""Which procuratorate a registration goes to: the counties (districts) of PROCURATORATES, each with its
procuratorate, and PROCURATORATE_NAME for everything else. Caseworker accounts belong to one of these names."""

from __future__ import annotations

import re
from dataclasses import dataclass

UNNAMED = "本公众号所属的人民检察院"  # what the notice says when PROCURATORATE_NAME is not set
OTHER_PLACE = "其他地方"


@dataclass(frozen=True)
class Place:
    county: str  # 县（区）, as the applicant picks it
    procuratorate: str


@dataclass(frozen=True)
class Routing:
    main: str  # PROCURATORATE_NAME (or UNNAMED)
    places: tuple[Place, ...]

    @classmethod
    def parse(cls, main: str, spec: str) -> Routing:
        """"城关区,七里河区,榆中县=榆中县人民检察院" → places; ValueError (in Chinese) for a malformed list."""
        places: list[Place] = []
        for item in re.split(r"[,，、;；\n]+", spec or ""):
            item = item.strip()
            if not item:
                continue
            county, _, name = item.replace("＝", "=").partition("=")
            county, name = county.strip(), name.strip()
            if not county or len(county) > 20:
                raise ValueError(f"“{item}”不是县（区）名")
            if any(p.county == county for p in places):
                raise ValueError(f"县（区）“{county}”写了两次")
            places.append(Place(county, name or f"{county}人民检察院"))
        return cls((main or "").strip() or UNNAMED, tuple(places))

    @property
    def names(self) -> list[str]:
        """Every procuratorate a case can belong to (the main one first), without repeats."""
        return list(dict.fromkeys([self.main, *(p.procuratorate for p in self.places)]))

    def for_county(self, county: str | None) -> str:
        for place in self.places:
            if place.county == county:
                return place.procuratorate
        return self.main

    def find(self, text: str) -> Place | None:
        """The place a reply names: "城关区", "城关", "我在榆中县" (a county name or its stem inside the text)."""
        t = (text or "").strip()
        for place in self.places:
            if place.county in t:
                return place
        for place in self.places:
            stem = re.sub(r"(自治县|自治旗|新区|县|区|市|旗)$", "", place.county)
            if len(stem) >= 2 and stem in t:
                return place
        return None
