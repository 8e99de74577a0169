"""Word lists the simulated world is spelled with: sector products, name pools, legal forms.

These are declarations, not code: the simulator's model of how firms, people and streets
are named in a few broad naming cultures, and of the HS codes each illicit-trade sector
moves. Names are invented from common words; any likeness to a real firm is chance.
"""

from __future__ import annotations

#: Sector slug -> (HS6 codes the sector's illicit trade moves, benign "cover" codes that
#: illicit goods of the sector are misdeclared as). All exist in the bundled nomenclature,
#: and ``greymap.reference.sectors.sectors_for_hs`` puts each sector code in its sector.
SECTOR_PRODUCTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "agri-food": (("090111", "040210", "170114"), ("071290", "230990")),
    "alcohol": (("220830", "220860", "220421"), ("220210",)),
    "counterfeiting-and-piracy": (("640399", "420221", "910211", "330300"), ("640299", "420292")),
    "cultural-property": (("970121", "970510", "970610"), ("691390", "442090")),
    "fisheries": (("030617", "030487", "030343", "160414"), ("030389", "030499")),
    "forced-labour": (("520100", "151110", "610910", "260500"), ("520300", "392690")),
    "forestry": (("440349", "440729"), ("440799", "441299")),
    "pesticides": (("380891", "380893", "380892"), ("392690",)),
    "petroleum": (("270900", "271012", "271019"), ("271020",)),
    "pharmaceuticals": (("300490", "300420", "300410"), ("210690",)),
    "precious-metals-and-gemstones": (("710812", "710231", "710391"), ("711299",)),
    "tobacco": (("240220", "240110", "240391"), ("481390",)),
    "wildlife": (("050710", "010690", "030192"), ("050800", "010649")),
}

SECTORS = tuple(SECTOR_PRODUCTS)

#: HS section (roman numeral as in the nomenclature) -> activity words firms in it use.
SECTION_ACTIVITY: dict[str, tuple[str, ...]] = {
    "I": ("Seafood", "Livestock", "Fisheries", "Foods"),
    "II": ("Agro", "Produce", "Commodities", "Farms"),
    "III": ("Oils", "Agro", "Commodities"),
    "IV": ("Foods", "Beverages", "Tobacco", "Distribution"),
    "V": ("Petroleum", "Energy", "Resources", "Minerals"),
    "VI": ("Chemicals", "Pharma", "Agrochem", "Laboratories"),
    "VII": ("Plastics", "Polymers", "Rubber"),
    "VIII": ("Leather", "Fashion", "Accessories"),
    "IX": ("Timber", "Wood", "Forest Products"),
    "X": ("Paper", "Packaging", "Printing"),
    "XI": ("Textiles", "Garments", "Apparel", "Fabrics"),
    "XII": ("Footwear", "Fashion", "Accessories"),
    "XIII": ("Ceramics", "Glass", "Building Materials"),
    "XIV": ("Jewellery", "Gold", "Gems", "Precious Metals"),
    "XV": ("Metals", "Steel", "Alloys"),
    "XVI": ("Electronics", "Machinery", "Technologies", "Engineering"),
    "XVII": ("Motors", "Automotive", "Marine"),
    "XVIII": ("Instruments", "Optics", "Medical"),
    "XIX": ("Defence", "Security"),
    "XX": ("Furniture", "Toys", "Home"),
    "XXI": ("Art", "Antiques", "Collectibles"),
}

#: Words any firm may carry after its activity.
GENERIC_ACTIVITY = ("Trading", "Import & Export", "General Trading", "International", "Holdings")
FORWARDER_ACTIVITY = ("Logistics", "Shipping", "Freight Forwarders", "Cargo Services")
SHELL_ACTIVITY = ("Holdings", "Investments", "Ventures", "Capital", "Consulting", "Services")

#: Canonical legal form -> other spellings of the same form (registries use the first).
LEGAL_FORMS: dict[str, tuple[str, ...]] = {
    "LLC": ("L.L.C.", "Limited Liability Company", "llc"),
    "Ltd": ("Limited", "Ltd.", "LTD"),
    "Limited": ("Ltd", "Ltd.", "LTD"),
    "Inc.": ("Inc", "Incorporated", "INC"),
    "Corp.": ("Corporation", "Corp", "CORP"),
    "PLC": ("P.L.C.", "Public Limited Company"),
    "GmbH": ("G.m.b.H.", "Gesellschaft mit beschränkter Haftung", "Gmbh"),
    "AG": ("A.G.", "Aktiengesellschaft"),
    "B.V.": ("BV", "B V", "Besloten Vennootschap"),
    "N.V.": ("NV", "Naamloze Vennootschap"),
    "AB": ("Aktiebolag", "A.B."),
    "A/S": ("AS", "Aktieselskab"),
    "AS": ("A/S", "Aksjeselskap"),
    "S.A.": ("SA", "S A", "Sociedad Anónima"),
    "S.R.L.": ("SRL", "S.r.l.", "Società a responsabilità limitata"),
    "SARL": ("S.A.R.L.", "S.à r.l.", "Société à responsabilité limitée"),
    "SAS": ("S.A.S.", "Société par actions simplifiée"),
    "Ltda.": ("Ltda", "LTDA", "Limitada"),
    "S.p.A.": ("SpA", "S.P.A.", "Società per azioni"),
    "S.L.": ("SL", "S.L.U.", "Sociedad Limitada"),
    "Oy": ("OY", "Osakeyhtiö"),
    "Pty Ltd": ("Pty. Ltd.", "Proprietary Limited", "PTY LTD"),
    "S.A. de C.V.": ("SA de CV", "S.A. DE C.V.", "Sociedad Anónima de Capital Variable"),
    "FZE": ("F.Z.E.", "Free Zone Establishment", "FZ-E"),
    "FZCO": ("F.Z.C.O.", "Free Zone Company", "FZ Co"),
    "FZ-LLC": ("FZ LLC", "Free Zone Limited Liability Company", "FZLLC"),
    "W.L.L.": ("WLL", "With Limited Liability"),
    "Co., Ltd.": ("Co. Ltd", "Company Limited", "CO LTD", "Co.,Ltd"),
    "Pte. Ltd.": ("Pte Ltd", "Private Limited", "PTE LTD"),
    "Sdn. Bhd.": ("Sdn Bhd", "Sendirian Berhad", "SDN BHD"),
    "Pvt. Ltd.": ("Pvt Ltd", "Private Limited", "PVT LTD"),
    "PT": ("P.T.", "Perseroan Terbatas"),
    "A.Ş.": ("AS", "A.S.", "Anonim Şirketi"),
    "Ltd. Şti.": ("Ltd Sti", "Limited Şirketi", "LTD. STI."),
    "K.K.": ("KK", "Kabushiki Kaisha"),
    "OOO": ("LLC", "O.O.O.", "Obshchestvo s ogranichennoy otvetstvennostyu"),
    "AO": ("JSC", "A.O.", "Aktsionernoye obshchestvo"),
}

#: Naming culture -> legal forms used, most common first.
CULTURE_FORMS: dict[str, tuple[str, ...]] = {
    "anglo": ("Ltd", "LLC", "Inc.", "Corp.", "PLC"),
    "germanic": ("GmbH", "AG", "B.V."),
    "romance": ("S.A.", "S.R.L.", "SAS"),
    "slavic": ("OOO", "AO"),
    "arabic": ("LLC", "W.L.L.", "FZE"),
    "chinese": ("Co., Ltd.", "Limited"),
    "south_asian": ("Pvt. Ltd.", "Ltd"),
    "se_asian": ("Co., Ltd.", "Sdn. Bhd.", "PT"),
    "african": ("Ltd", "Limited", "S.A."),
    "turkic": ("Ltd. Şti.", "A.Ş."),
    "east_asian": ("Co., Ltd.", "K.K."),
}

#: Countries whose legal forms differ from their culture's (a handful of large traders).
COUNTRY_FORMS: dict[str, tuple[str, ...]] = {
    "USA": ("LLC", "Inc.", "Corp."),
    "GBR": ("Ltd", "PLC"),
    "DEU": ("GmbH", "AG"),
    "NLD": ("B.V.", "N.V."),
    "BEL": ("B.V.", "N.V.", "S.A."),
    "FRA": ("SARL", "SAS", "S.A."),
    "ARE": ("LLC", "FZE", "FZCO", "FZ-LLC"),
    "HKG": ("Limited", "Co., Ltd."),
    "SGP": ("Pte. Ltd.",),
    "MYS": ("Sdn. Bhd.",),
    "IDN": ("PT",),
    "PAN": ("S.A.", "Corp.", "Inc."),
    "BRA": ("Ltda.", "S.A."),
    "MEX": ("S.A. de C.V.",),
    "IND": ("Pvt. Ltd.", "Ltd"),
    "CYP": ("Ltd",),
    "SWE": ("AB",),
    "DNK": ("A/S",),
    "NOR": ("A/S", "AS"),
    "FIN": ("Oy",),
    "ITA": ("S.p.A.", "S.R.L."),
    "ESP": ("S.L.", "S.A."),
    "AUS": ("Pty Ltd",),
    "CAN": ("Inc.", "Ltd"),
    "KOR": ("Co., Ltd.",),
}

#: Legal forms written before the name rather than after it.
PREFIX_FORMS = frozenset({"PT", "OOO", "AO"})

#: Countries whose registries write names in Cyrillic or in Chinese characters.
CYRILLIC_COUNTRIES = frozenset({"RUS", "UKR", "BLR", "BGR", "KAZ", "KGZ"})
HANZI_COUNTRIES = frozenset({"CHN"})

#: UN region (country_converter's ``UNregion``) -> naming culture.
REGION_CULTURE: dict[str, str] = {
    "Northern America": "anglo",
    "Australia and New Zealand": "anglo",
    "Melanesia": "anglo",
    "Micronesia": "anglo",
    "Polynesia": "anglo",
    "Northern Europe": "germanic",
    "Western Europe": "germanic",
    "Southern Europe": "romance",
    "Eastern Europe": "slavic",
    "Central Asia": "slavic",
    "Caribbean": "romance",
    "Central America": "romance",
    "South America": "romance",
    "Western Asia": "arabic",
    "Northern Africa": "arabic",
    "Southern Asia": "south_asian",
    "South-eastern Asia": "se_asian",
    "Eastern Asia": "chinese",
    "Western Africa": "african",
    "Eastern Africa": "african",
    "Middle Africa": "african",
    "Southern Africa": "african",
}

#: Countries whose naming culture differs from their region's.
COUNTRY_CULTURE: dict[str, str] = {
    "GBR": "anglo",
    "IRL": "anglo",
    "FRA": "romance",
    "MCO": "romance",
    "TUR": "turkic",
    "AZE": "turkic",
    "IRN": "arabic",
    "AFG": "arabic",
    "JPN": "east_asian",
    "KOR": "east_asian",
    "PRK": "east_asian",
    "MNG": "east_asian",
    "ISR": "anglo",
    "CYP": "anglo",
    "GEO": "anglo",
    "ARM": "anglo",
}

#: Alternative Latin spellings of the same Arabic, South Asian or Chinese-style word.
TRANSLIT_ALTERNATES: dict[str, tuple[str, ...]] = {
    "Noor": ("Nour", "Nur"),
    "Rashid": ("Rasheed", "Rachid"),
    "Baraka": ("Barakah", "Barakat"),
    "Hussain": ("Hussein", "Husain"),
    "Mansour": ("Mansur", "Mansoor"),
    "Khaleej": ("Khalij", "Khaleeg"),
    "Fajr": ("Fajer", "Fadjr"),
    "Jazeera": ("Jazira", "Jezira"),
    "Ameen": ("Amin", "Amine"),
    "Mohammed": ("Muhammad", "Mohamed", "Mohamad"),
    "Khalid": ("Khaled", "Khalied"),
    "Abdullah": ("Abdallah", "Abdulla"),
    "Yusuf": ("Youssef", "Yousef"),
    "Hassan": ("Hasan", "Hasaan"),
    "Ahmed": ("Ahmad", "Ahmet"),
    "Omar": ("Umar", "Omer"),
    "Salam": ("Salaam", "Slam"),
    "Karim": ("Kareem", "Karem"),
    "Shree": ("Shri", "Sri"),
}

#: Street words and their abbreviations (addresses vary between sources).
STREET_TYPES: dict[str, str] = {
    "Street": "St.",
    "Road": "Rd",
    "Avenue": "Ave.",
    "Boulevard": "Blvd",
    "Lane": "Ln",
    "Industrial Area": "Ind. Area",
}
STREET_NAMES = (
    "Harbour",
    "Port",
    "Market",
    "King",
    "Station",
    "Airport",
    "Industrial",
    "Free Zone",
    "Trade",
    "Commerce",
    "Canal",
    "Warehouse",
    "Customs",
    "Pier",
    "Central",
    "Garden",
    "Palm",
    "Cedar",
)
TOWERS = (
    "Business Bay Tower",
    "Marina Plaza",
    "Trade Centre",
    "Gateway House",
    "Harbour Tower",
    "Capital Square",
)

#: Word abbreviations seen on bills of lading.
ABBREVIATIONS: dict[str, str] = {
    "International": "Intl",
    "Trading": "Trdg",
    "General": "Gen.",
    "Import & Export": "Imp & Exp",
    "Company": "Co.",
    "Corporation": "Corp",
    "Enterprises": "Ent.",
    "Industries": "Inds",
    "Logistics": "Log.",
    "Investments": "Invest",
    "Holdings": "Hldgs",
    "Services": "Svcs",
}

#: Invented carriers and vessel name words.
CARRIERS = (
    "Oceanic Container Line",
    "Blue Meridian Lines",
    "Polaris Shipping",
    "Trident Maritime",
    "Eastwind Container Services",
    "Coral Bay Lines",
    "Great Circle Carriers",
    "Anchorage Line",
    "Harbourlink Shipping",
    "Southern Cross Maritime",
    "Tidewater Express",
    "Seagate Feeder Services",
)
VESSEL_WORDS = (
    (
        "Northern",
        "Pacific",
        "Golden",
        "Silver",
        "Eastern",
        "Ocean",
        "Royal",
        "Crystal",
        "Blue",
        "Grand",
        "Star",
        "Sea",
    ),
    (
        "Star",
        "Harmony",
        "Pioneer",
        "Spirit",
        "Voyager",
        "Glory",
        "Horizon",
        "Fortune",
        "Wave",
        "Bridge",
        "Pearl",
        "Dawn",
    ),
)
#: Flags of convenience that register much of the world's fleet (ISO3).
OPEN_REGISTRY_FLAGS = ("PAN", "LBR", "MHL", "MLT", "BHS", "CYP", "SGP", "HKG")

#: Invented sanctions programmes and the authorities that run them.
SANCTION_PROGRAMS = (
    ("SIM-ITN", "Illicit Trade Networks Programme"),
    ("SIM-TCO", "Transnational Criminal Organisations"),
    ("SIM-WLT", "Wildlife and Timber Trafficking"),
    ("SIM-CPF", "Counter-Proliferation and Sanctions Evasion"),
)
SANCTION_AUTHORITIES = (
    "Simulated Office of Sanctions Enforcement",
    "Simulated Council Sanctions Committee",
)

#: Publishers of the simulated incident records.
INCIDENT_SOURCES = (
    "customs press release",
    "WCO CEN seizure record",
    "news report",
    "court judgement",
)
