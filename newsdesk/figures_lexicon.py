"""Word lists for the figure extractor: number words, scales, currencies, units.

Kept apart from the matching logic in `figures.py` so that the patterns there
stay readable and the vocabulary can grow without touching the code.  Every
table maps the lower-cased surface form to what the extractor reports.
"""

from __future__ import annotations

SMALL_NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "a": 1, "an": 1, "dozen": 12, "nought": 0, "oh": 0,
}

DIGIT_WORDS = {"zero": "0", "nought": "0", "oh": "0", "one": "1", "two": "2", "three": "3",
               "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9"}

# Scale words and abbreviations ("bn", "m", "mln" ...) -> multiplier.
SCALES = {
    "hundred": 1e2, "thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6,
    "mln": 1e6, "mio": 1e6, "billion": 1e9, "bn": 1e9, "b": 1e9, "bln": 1e9,
    "trillion": 1e12, "tn": 1e12, "trn": 1e12, "lakh": 1e5, "crore": 1e7,
    "dozen": 12.0, "dozens": 12.0, "thousands": 1e3, "millions": 1e6, "billions": 1e9, "lakhs": 1e5, "crores": 1e7,
}

FRACTIONS = {
    "half": 0.5, "halves": 0.5, "third": 1 / 3, "thirds": 1 / 3, "quarter": 0.25,
    "quarters": 0.25, "fifth": 0.2, "fifths": 0.2, "sixth": 1 / 6, "sixths": 1 / 6,
    "seventh": 1 / 7, "sevenths": 1 / 7, "eighth": 0.125, "eighths": 0.125,
    "ninth": 1 / 9, "ninths": 1 / 9, "tenth": 0.1, "tenths": 0.1,
}

# Currency signs and codes written before the number.
CURRENCY_SIGNS = {
    "$": "USD", "us$": "USD", "u.s.$": "USD", "a$": "AUD", "au$": "AUD", "c$": "CAD",
    "ca$": "CAD", "nz$": "NZD", "hk$": "HKD", "s$": "SGD", "r$": "BRL", "nt$": "TWD",
    "£": "GBP", "€": "EUR", "¥": "JPY", "₹": "INR", "₽": "RUB", "₩": "KRW",
    "₺": "TRY", "₴": "UAH", "₪": "ILS", "rs": "INR", "rs.": "INR",
}

ISO_CODES = (
    "USD GBP EUR JPY CHF CNY RMB INR RUB AUD CAD NZD HKD SGD SEK NOK DKK PLN CZK "
    "HUF ZAR BRL MXN KRW TRY UAH ILS SAR AED NGN KES EGP PKR IDR MYR THB PHP TWD ARS"
).split()

# Currency words written after the number; a value of None means "decided by
# the adjective or the article's country" (see figures._currency_for_word).
CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "dlr": "USD", "dlrs": "USD", "buck": "USD", "bucks": "USD",
    "cent": "USD", "cents": "USD", "ct": "USD", "cts": "USD",
    "pound": "GBP", "pounds": "GBP", "sterling": "GBP", "stg": "GBP", "pence": "GBP", "penny": "GBP",
    "euro": "EUR", "euros": "EUR", "eurocent": "EUR", "eurocents": "EUR",
    "yen": "JPY", "yuan": "CNY", "renminbi": "CNY", "rouble": "RUB", "roubles": "RUB",
    "ruble": "RUB", "rubles": "RUB", "rupee": "INR", "rupees": "INR", "zloty": "PLN",
    "zlotys": "PLN", "zlotych": "PLN", "krona": "SEK", "kronor": "SEK", "kronas": "SEK",
    "krone": None, "kroner": None, "franc": None, "francs": None, "lira": None, "lire": "ITL",
    "peso": None, "pesos": None, "rand": "ZAR", "shekel": "ILS", "shekels": "ILS",
    "riyal": "SAR", "riyals": "SAR", "dirham": "AED", "dirhams": "AED", "naira": "NGN",
    "ringgit": "MYR", "baht": "THB", "rupiah": "IDR", "won": "KRW", "forint": "HUF",
    "forints": "HUF", "koruna": "CZK", "korunas": "CZK", "crowns": None, "hryvnia": "UAH",
    "hryvnias": "UAH", "hryvnas": "UAH", "guilder": "NLG", "guilders": "NLG",
    "mark": "DEM", "marks": "DEM", "deutschmarks": "DEM", "schilling": "ATS", "schillings": "ATS",
    "peseta": "ESP", "pesetas": "ESP", "escudo": "PTE", "escudos": "PTE",
    "drachma": "GRD", "drachmas": "GRD", "dinar": None, "dinars": None,
    "real": "BRL", "reais": "BRL", "cruzados": "BRL", "cruzado": "BRL", "cruzeiros": "BRL",
    "lei": "RON", "leu": "RON", "levs": "BGN", "leva": "BGN", "tenge": "KZT",
    "bolivars": "VEF", "bolivares": "VEF", "sol": None, "soles": "PEN", "afghanis": "AFN",
    "taka": "BDT", "kwacha": None, "shillings": None, "cedis": "GHS",
    # singular forms, as written before a noun ('a two billion shilling surplus'); not 'crown', a title in
    # sport far more often ('the world 5,000m crown')
    "shilling": None, "cedi": "GHS", "lev": "BGN", "rial": "IRR", "rials": "IRR",
    "dong": "VND", "kyat": "MMK", "kyats": "MMK", "ecu": "XEU", "ecus": "XEU",  # the European Currency Unit
}
# Words that are currencies only when the number is unmistakably money
# (a scale word, a thousands comma, or a decimal): "won", "real", "mark".
AMBIGUOUS_CURRENCY = {"won", "real", "mark", "marks", "rand", "sol", "lei", "crowns", "leu", "lev", "dong"}
SUBUNIT = {"cent": 0.01, "cents": 0.01, "ct": 0.01, "cts": 0.01, "pence": 0.01,
           "penny": 0.01, "p": 0.01, "eurocent": 0.01, "eurocents": 0.01}

# Adjectives that pin a currency word to one country.
CURRENCY_ADJECTIVES = {
    ("us", "dollar"): "USD", ("u.s.", "dollar"): "USD", ("american", "dollar"): "USD",
    ("australian", "dollar"): "AUD", ("canadian", "dollar"): "CAD", ("new zealand", "dollar"): "NZD",
    ("hong kong", "dollar"): "HKD", ("singapore", "dollar"): "SGD", ("taiwan", "dollar"): "TWD",
    ("taiwanese", "dollar"): "TWD", ("zimbabwe", "dollar"): "ZWD",
    ("swiss", "franc"): "CHF", ("french", "franc"): "FRF", ("belgian", "franc"): "BEF",
    ("cfa", "franc"): "XOF", ("danish", "krone"): "DKK", ("norwegian", "krone"): "NOK",
    ("swedish", "krona"): "SEK", ("icelandic", "krona"): "ISK", ("turkish", "lira"): "TRY",
    ("italian", "lira"): "ITL", ("mexican", "peso"): "MXN", ("argentine", "peso"): "ARS",
    ("philippine", "peso"): "PHP", ("chilean", "peso"): "CLP", ("colombian", "peso"): "COP",
    ("indian", "rupee"): "INR", ("pakistani", "rupee"): "PKR", ("sri lankan", "rupee"): "LKR",
    ("iraqi", "dinar"): "IQD", ("kuwaiti", "dinar"): "KWD", ("jordanian", "dinar"): "JOD",
    ("south african", "rand"): "ZAR", ("kenyan", "shilling"): "KES", ("ugandan", "shilling"): "UGX",
    ("tanzanian", "shilling"): "TZS", ("saudi", "riyal"): "SAR", ("egyptian", "pound"): "EGP",
    ("lebanese", "pound"): "LBP", ("syrian", "pound"): "SYP", ("irish", "pound"): "IEP",
    ("german", "mark"): "DEM", ("deutsche", "mark"): "DEM", ("finnish", "mark"): "FIM",
    ("chinese", "yuan"): "CNY", ("japanese", "yen"): "JPY", ("russian", "rouble"): "RUB",
    ("czech", "crown"): "CZK", ("slovak", "crown"): "SKK", ("danish", "crown"): "DKK",
    ("swedish", "crown"): "SEK", ("norwegian", "crown"): "NOK", ("zambian", "kwacha"): "ZMW",
}
CURRENCY_ADJ_WORDS = sorted({a for a, _ in CURRENCY_ADJECTIVES} | {"hk", "nz"}, key=len, reverse=True)

# Where a currency word is shared by several countries, the article's
# mentions of a country decide: (word stem, country cue, code), first hit wins.
COUNTRY_CUES = {
    "krone": (("norw", "NOK"), ("danish", "DKK"), ("denmark", "DKK"), ("", "DKK")),
    "crown": (("czech", "CZK"), ("swed", "SEK"), ("norw", "NOK"), ("danish", "DKK"), ("", "CZK")),
    "franc": (("swiss", "CHF"), ("switzerland", "CHF"), ("france", "FRF"), ("french", "FRF"),
              ("belgi", "BEF"), ("", "CHF")),
    "lira": (("turk", "TRY"), ("ital", "ITL"), ("", "TRY")),
    "peso": (("mexic", "MXN"), ("argentin", "ARS"), ("philippin", "PHP"), ("chile", "CLP"),
             ("colombia", "COP"), ("", "MXN")),
    "dinar": (("iraq", "IQD"), ("kuwait", "KWD"), ("jordan", "JOD"), ("serbia", "RSD"),
              ("tunisia", "TND"), ("algeria", "DZD"), ("", "IQD")),
    "shilling": (("kenya", "KES"), ("uganda", "UGX"), ("tanzania", "TZS"), ("austria", "ATS"),
                 ("", "KES")),
    "kwacha": (("zambia", "ZMW"), ("malawi", "MWK"), ("", "ZMW")),
    "sol": (("", "PEN"),),
    "dollar": (("", "USD"),),
}

# Units of quantities: surface form -> canonical unit.
_TIME = {
    "second": "second", "seconds": "second", "secs": "second", "minute": "minute",
    "minutes": "minute", "mins": "minute", "hour": "hour", "hours": "hour", "hrs": "hour",
    "day": "day", "days": "day", "week": "week", "weeks": "week", "fortnight": "fortnight",
    "fortnights": "fortnight", "month": "month", "months": "month", "mth": "month", "mths": "month", "year": "year",
    "years": "year", "yrs": "year", "decade": "decade", "decades": "decade",
    "century": "century", "centuries": "century", "millennia": "millennium",
    "quarter": "quarter", "quarters": "quarter", "season": "season", "seasons": "season",
    "night": "night", "nights": "night", "weekend": "weekend", "weekends": "weekend",
}
_MEASURE = {
    "km": "km", "kms": "km", "kilometre": "km", "kilometres": "km", "kilometer": "km",
    "kilometers": "km", "mile": "mile", "miles": "mile", "metre": "metre", "metres": "metre",
    "meter": "metre", "meters": "metre", "cm": "cm", "centimetre": "cm", "centimetres": "cm",
    "centimeter": "cm", "centimeters": "cm", "mm": "mm", "millimetre": "mm", "millimetres": "mm",
    "millimeter": "mm", "millimeters": "mm", "ft": "foot", "foot": "foot", "feet": "foot",
    "inch": "inch", "inches": "inch", "yard": "yard", "yards": "yard",
    "acre": "acre", "acres": "acre", "hectare": "hectare", "hectares": "hectare", "ha": "hectare",
    "tonne": "tonne", "tonnes": "tonne", "ton": "tonne", "tons": "tonne", "kg": "kg",
    "kgs": "kg", "kilogram": "kg", "kilograms": "kg", "kilogramme": "kg", "kilogrammes": "kg",
    "kilo": "kg", "kilos": "kg", "gram": "gram", "grams": "gram", "gramme": "gram", "grammes": "gram",
    "lb": "lb", "lbs": "lb", "ounce": "ounce", "ounces": "ounce", "oz": "ounce",
    "carat": "carat", "carats": "carat",
    "litre": "litre", "litres": "litre", "liter": "litre", "liters": "litre", "gallon": "gallon",
    "gallons": "gallon", "barrel": "barrel", "barrels": "barrel", "bbl": "barrel",
    "bpd": "barrel", "bushel": "bushel", "bushels": "bushel", "pint": "pint", "pints": "pint",
    "cwt": "cwt", "cwts": "cwt",
    "mw": "MW", "megawatt": "MW", "megawatts": "MW", "gw": "GW", "gigawatt": "GW", "gigawatts": "GW",
    "kw": "kW", "kilowatt": "kW", "kilowatts": "kW", "kwh": "kWh", "mwh": "MWh", "twh": "TWh",
    "gwh": "GWh", "watt": "watt", "watts": "watt", "volt": "volt", "volts": "volt",
    "gb": "GB", "gigabyte": "GB", "gigabytes": "GB", "mb": "MB", "megabyte": "MB",
    "megabytes": "MB", "tb": "TB", "terabyte": "TB", "terabytes": "TB", "kb": "KB",
    "kilobyte": "KB", "kilobytes": "KB", "mbps": "Mbps", "kbps": "kbps", "gbps": "Gbps",
    "megabit": "Mbps", "megabits": "Mbps", "ghz": "GHz", "mhz": "MHz", "hz": "Hz",
    "megapixel": "megapixel", "megapixels": "megapixel", "horsepower": "horsepower",
    "mph": "mph", "kph": "km/h", "km/h": "km/h", "knot": "knot", "knots": "knot",
    "degree": "degree", "degrees": "degree", "calorie": "calorie", "calories": "calorie",
    "decibel": "decibel", "decibels": "decibel",
    "point": "point", "points": "point",
}
UNITS = {**_TIME, **_MEASURE}
TIME_UNITS = frozenset(_TIME.values())
# Units glued to the digits ("5km", "10kg"); "m" is left out: "100m" is a
# scale after money ("£100m") and a distance in sport, so it is decided in code.
ATTACHED_UNITS = ("km", "kg", "kgs", "mm", "cm", "mph", "kph", "ft", "lb", "lbs", "oz", "mw", "gw",
                  "kw", "kwh", "mwh", "gwh", "twh", "gb", "mb", "tb", "mbps", "kbps", "gbps",
                  "ghz", "mhz", "bpd", "yrs", "mins", "secs")

# Plural nouns that do not end in -s, and -s words that are not plurals.
IRREGULAR_PLURALS = {
    "people": "person", "persons": "person", "children": "child", "men": "man", "women": "woman",
    "police": "police officer", "staff": "staff", "personnel": "personnel", "cattle": "cattle",
    "sheep": "sheep", "fish": "fish", "deer": "deer", "aircraft": "aircraft", "feet": "foot",
    "teeth": "tooth", "mice": "mouse", "geese": "goose", "crew": "crew", "troops": "troop",
    "data": "data", "media": "media", "criteria": "criterion", "phenomena": "phenomenon",
    "lives": "life", "wives": "wife", "knives": "knife", "wolves": "wolf", "leaves": "leaf",
    "thieves": "thief", "shelves": "shelf", "halves": "half", "loaves": "loaf", "calves": "calf",
    "crises": "crisis", "analyses": "analysis", "theses": "thesis", "diagnoses": "diagnosis",
    "heroes": "hero", "potatoes": "potato", "tomatoes": "tomato", "vetoes": "veto",
    "echoes": "echo", "torpedoes": "torpedo", "indices": "index", "matrices": "matrix",
    "series": "series", "species": "species", "offspring": "offspring", "spacecraft": "spacecraft",
    "buses": "bus", "gases": "gas", "aliases": "alias", "statuses": "status", "viruses": "virus",
    "bonuses": "bonus", "campuses": "campus", "censuses": "census", "focuses": "focus",
    "businesses": "business", "addresses": "address", "processes": "process", "losses": "loss",
    "classes": "class", "glasses": "glass", "witnesses": "witness", "bases": "base",
    "fixtures": "fixture", "votes": "vote", "movies": "movie", "cookies": "cookie",
    "zombies": "zombie", "rookies": "rookie", "calories": "calorie", "sorties": "sortie", "goalies": "goalie",
    "selfies": "selfie", "pies": "pie", "ties": "tie", "lies": "lie", "brownies": "brownie",
    "smoothies": "smoothie", "hoodies": "hoodie", "aunties": "auntie", "prairies": "prairie",
    "species": "species", "headquarters": "headquarters",
}
NOT_PLURAL = frozenset(
    "news means always perhaps towards afterwards besides nevertheless sometimes thus whereas "
    "unless yes ourselves themselves yourselves overseas various previous serious famous "
    "numerous enormous plus minus versus bus gas this his hers its ours yours theirs is was has "
    "does goes says as us whereas alias status chaos lens physics economics politics mathematics "
    "athletics gymnastics statistics ethics aids diabetes measles herpes tennis "
    "across less regardless nonetheless afterwards downstairs upstairs indoors outdoors sideways "
    "abroad analysis basis crisis thesis".split()
)

# Words after a number that end the search for a counted noun.
STOP_WORDS = frozenset(
    "a an the of to in on at for and or but nor by with from into onto than then that this these "
    "those which who whom whose what when where while as per cent percent pct if so up down out "
    "over under about around after before since until till during between among through across "
    "is are was were be been being has have had will would shall should can could may might must "
    "do does did said says say told more less most least other others another same such own each "
    "every all both any some no not only just also too very its their his her our your my "
    "it he she they we you i them him us me there here now ago later earlier again "
    "against without within towards toward via vs versus plus minus time "
    "percentage point points basis".split()
)
# Counted nouns too vague to be a measure of anything.
VAGUE_HEADS = frozenset("ones others things lots kinds sorts types ways times".split()) - {"times"}

MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)

# Words before a number that make it part of a name ("Article 5", "Apollo 13").
NAME_WORDS = frozenset(
    "article section clause chapter paragraph no no. number room flight route highway interstate "
    "page version level phase episode volume vol rule channel radio apollo model grade category "
    "division league platform gate terminal bus track junction exit act resolution amendment "
    "term figure table item lot box unit block floor suite studio psalm verse top".split()
)

# Qualifiers as written -> the guideline's canonical qualifier.
QUALIFIERS = {
    "more than": "more than", "over": "over", "just over": "over", "well over": "over",
    "above": "over", "past": "over", "in excess of": "more than", "upwards of": "more than",
    "almost": "almost", "nearly": "nearly", "near": "nearly", "close to": "nearly",
    "just under": "under", "under": "under", "below": "under", "less than": "less than",
    "fewer than": "less than", "no more than": "up to", "around": "around", "about": "about",
    "some": "about", "roughly": "about", "approximately": "about", "an estimated": "about",
    "estimated": "about", "up to": "up to", "as many as": "up to", "as much as": "up to",
    "within": "up to", "at most": "up to", "a maximum of": "up to", "maximum of": "up to",
    "a maximum": "up to", "maximum": "up to", "at least": "at least", "a minimum of": "at least",
    "no less than": "at least", "not less than": "at least", "more than about": "more than",
}

# ---------------------------------------------------------------------------
# Subjects (figures.subject): finite verbs that end a subject noun phrase.
# ---------------------------------------------------------------------------
# Only forms that are rarely nouns after a noun: "price rises", "tax cuts",
# "job losses", "a rate rise" would otherwise read as "price" + verb.  Regular
# past tenses ("-ed") are recognised by the pattern itself.
SUBJECT_VERBS = frozenset(
    "is are was were be been has have had will would shall should can could may might must do does did "
    "isn't aren't wasn't weren't hasn't haven't hadn't won't wouldn't can't couldn't doesn't didn't "
    "said says say told tells expects expect believes believe thinks think suggests warns adds argues insists "
    "notes confirms predicts reveals "
    "rose risen fell fallen grew grown slid "
    "stood stands remain remains remained reaches came comes went goes made makes took takes paid "
    "spent spends sold sells bought saw won earns got gets gave gives "
    "put hit cost represent represents employs owns held wants "
    "exceeds include includes lost loses kept keeps left "
    "brought brings became becomes began begins meant".split()
)
# Verbs that report speech or findings: the figure's own clause follows them
# ("The firm said profits rose 5%": the subject of 5% is "profits").
REPORTING_VERBS = frozenset(
    "said says say told tells expects expect expected believes believe believed thinks think thought "
    "suggests suggested warns warned adds added argues argued insists insisted notes noted confirms "
    "confirmed predicts predicted reveals revealed announced reported estimated showed shows show found "
    "claimed forecast estimates calculated stated explained indicated".split()
)
# Words that cannot start (or be) a reliable subject noun phrase.
SUBJECT_REJECT_FIRST = frozenset(
    "it they them he she we i you this that these those there here which who what whom whose when "
    "where why how if as because while although though whereas so but and or nor yet than then "
    "in on at for after before during since under over by from with following despite according across "
    "among between within without like unlike of to into onto upon about around against through "
    "toward towards via per up down off out also however meanwhile now still overall yesterday today "
    "tomorrow earlier later last next such not no one".split()
)
# Words that, inside the candidate phrase, show that it is not a plain noun
# phrase (a relative or subordinate clause got in).
SUBJECT_REJECT_ANY = frozenset(
    "who which that when where whom whose if because although though while whereas unless until "
    "so there i you he she it we they".split()
)
# Pronouns that a reporting clause's subject resolves ("Tesco said it made £5m").
SUBJECT_PRONOUNS = frozenset("it they he she we".split())
