"""Wording a fair interview does not use: questions, follow-ups, look-fors and signals that
touch a protected characteristic or invite affinity bias.

Matching is by phrase and sense, not by single words: the technical senses of the same
words are removed first ("health check", "native button", "the age of a cache entry", "a
family of services", "parent and child processes"), then phrases that are about the
candidate as a person are looked for. No I/O, no YAML: it reads plain text."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Topic:
    """One topic a fair interview leaves alone, and why, for the warning."""

    name: str
    reason: str
    patterns: tuple[re.Pattern[str], ...]


def _rx(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


# Someone: the candidate, addressed or described.
_WHO = r"(?:you|they|he|she|the candidate|candidates?)"
_WHOSE = r"(?:your|their|his|her|the candidate's|candidates')"

# Technical senses, blanked out before any topic is looked for. Each names a system, a data
# structure or a product, never a person.
_TECHNICAL = _rx(
    r"\bhealth[- ]?(?:checks?|checking|checker|endpoints?|probes?|status|signals?|scores?|"
    r"dashboards?|metrics?|monitor\w*|pages?|reports?|of (?:a|an|the|each|its|every)\b)",
    r"\b(?:service|system|cluster|node|pod|host|fleet|replica|disk|database|db|site|shard|"
    r"broker|queue|index|endpoint|app|application|instance|backend|server|network|"
    r"platform|pipeline|codebase|code|project|repo|account|link|api|process|model|team)s?'? "
    r"health\b",
    r"\b(?:react|cloud|web|browser|os|platform|language|kubernetes|aws|gcp)[- ]native\b",
    r"\bnative (?:buttons?|elements?|controls?|apps?|applications?|code|widgets?|selects?|"
    r"inputs?|dialogs?|modules?|librar\w+|apis?|binar\w+|images?|html|browser|"
    r"(?:ui|ux)|components?|events?|scroll\w*|forms?|features?|implementations?|"
    r"extensions?|threads?|memory|types?|support|sdks?|clients?|builds?|integrations?)\b",
    r"\bages? (?:of|out)\b",
    r"\bmax[- ]?age\b",
    r"\b(?:cache|entry|key|record|token|object|item|message|file|data|log|row|event|session|"
    r"connection|certificate|cert|snapshot|backup|lock|index|replica|document|page|build|"
    r"image|artifact|branch|commit)'?s? age\b",
    r"\bage[- ]?(?:based|bucket\w*|limit\w*|threshold\w*|field|column|header|tiers?)\b",
    r"\b(?:font|instance|model|product|protocol|chip|processor|cpu|vm|machine|service|"
    r"api|algorithm|hash|device|storage)[- ]famil(?:y|ies)\b",
    r"\bfamil(?:y|ies) of\b",
    r"\b(?:parent|child|children|grandchild\w*|sibling)[- ](?:process\w*|nodes?|elements?|"
    r"components?|threads?|spans?|tasks?|rows?|tables?|windows?|pods?|class\w*|keys?|"
    r"objects?|items?|entr\w+|records?|directories|directory|folders?|commits?|issues?|"
    r"tickets?|categor\w+|routes?|widgets?|jobs?|workflows?|resources?|accounts?|"
    r"contexts?|states?|frames?|scopes?|modules?|packages?|orders?)\b",
    r"\bparents? and (?:its |their )?child(?:ren)?\b",
    r"\b(?:children|child|parents?) of (?:a|an|the|each|its|this|that|every|one)\b",
    r"\b(?:nodes?|elements?|trees?|components?|process(?:es)?|items?|directories|directory|"
    r"folders?|spans?|vertex|vertices|widgets?|categor\w+|rows?|tasks?|jobs?|objects?|"
    r"entries|keys?|tickets?|issues?|commits?|menus?|groups?|pages?|resources?|scopes?|"
    r"modules?|layers?|branches|blocks?|classes|types?|spans?)\b[^.;]{0,25}?\b(?:children|child|kids|"
    r"parents?)\b",
    r"\b(?:service|system|cluster|node|pod|host|replica|instance|server|backend|worker|"
    r"shard|broker|dependenc\w+|endpoint|container|machine|job|queue|database)s?\b"
    r"[^.;]{0,25}?\b(?:its|their) health\b",
    r"\brace conditions?\b",
    r"\bdisabled (?:buttons?|states?|inputs?|flags?|controls?|fields?|elements?|features?|"
    r"options?|links?|items?|accounts?|users?|checks?|rules?|tests?|jobs?|caches?|by default)\b",
    r"\b(?:is|are|was|were|be|been|gets?|got|stays?|left|feature|flag|button|input|field|"
    r"control|option|plugin|account|cache|check|rule|test|job|logging|tls|javascript|js)"
    r" disabled\b",
    r"\b(?:users?|people|customers?|visitors?|readers?|players?|patients?|clients?|everyone|"
    r"someone|anyone)\b[^.;]{0,20}?\b(?:with|who (?:have|has|use)|using)\b[^.;]{0,25}?"
    r"\b(?:disabilit\w*|impairments?|screen readers?|assistive)\b",
    r"\b(?:patients?'?|clinical|hospital|clinic|insurer|insurance|healthcare|health ?care)"
    r"[^.;]{0,30}?\b(?:medical|health|records?|history)\b",
    r"\bfirst[- ]class citizens?\b",
    r"\bvisa (?:cards?|payments?|network)\b",
    r"\boutside (?:of )?(?:work(?:ing)?|business|office|core|support) hours\b",
    r"\bout[- ]of[- ]hours\b",
    r"\b(?:salary|payroll|compensation|pay)[- ](?:service|system|data|tables?|records?|"
    r"bands?|ranges?|calculations?|api|engine|runs?)\b",
    r"\b(?:code|change|deploy\w*|release|merge|holiday) freezes?\b",
    r"\b(?:engineering|incident|blameless|review|testing|learning|feedback|on-?call|"
    r"security|safety|writing|documentation|ownership|quality|data)[- ]culture\b",
    r"\bretir(?:e|es|ed|ing|ement) (?:the|a|an|old|legacy|an old|that|this|its|their|"
    r"endpoints?|services?|apis?|versions?|features?|systems?|flags?|code|v\d)\b",
)

_TOPICS: tuple[Topic, ...] = (
    Topic("age", "age or birth year is a protected characteristic", _rx(
        rf"\bhow old (?:are|is|were|was|will|would) {_WHO}\b",
        rf"\bhow old (?:are|is) {_WHOSE} (?:kids|children|child|son|daughter)\b",
        rf"\b{_WHOSE} (?:age|birth ?(?:day|date|year)|generation)\b",
        r"\b(?:birth ?(?:year|date)|date of birth|year of birth|d\.?o\.?b\.?)\b",
        rf"\b(?:what|which) year (?:were|was) {_WHO} born\b",
        rf"\bwhen (?:were|was) {_WHO} born\b",
        rf"\b(?:when|which year|what year) (?:did|do|will) {_WHO} (?:graduate|leave school|"
        r"finish (?:high school|school|university|college|your degree|their degree))\b",
        r"\b(?:graduation|school[- ]leaving) (?:year|date)\b",
        r"\b(?:close to|near|nearing|planning|plans? for|thinking about) retirement\b",
        rf"\b{_WHOSE} retirement\b",
        rf"\b(?:are|is|will|do|does) {_WHO}\b[^.;?]{{0,20}}?\bretir(?:e|ing|ement)\b",
        r"\bretirement age\b",
        rf"\b{_WHO} (?:are|is|seems?|looks?|sounds?) (?:too |quite |very |so )?(?:old|young)\b",
        r"\b(?:too|quite) (?:old|young) (?:for|to join) (?:the|this|our) (?:role|team|job|"
        r"position|company)\b",
        r"\b(?:young|youthful|older|old) (?:and (?:energetic|hungry)|blood|team|candidates?|"
        r"people|person|engineers?|workers?)\b",
        r"\b(?:digital natives?|recent grads? only)\b",
        rf"\bage (?:is|of) {_WHO}\b",
        rf"\b(?:is|are) {_WHO} (?:over|under) (?:\d+|thirty|forty|fifty)\b",
    )),
    Topic("family", "family, children or marital status is a protected characteristic", _rx(
        r"\bmarital\b",
        r"\bis there an? (?:mrs|mr|husband|wife|partner|spouse|significant other)\b",
        r"\bsignificant other\b",
        rf"\b{_WHOSE} partner\b[^.;?]{{0,40}}?\b(?:move|moving|relocat\w*|okay with|ok with|"
        r"fine with|mind)\b",
        rf"\bhow many (?:kids|children|dependants|dependents) (?:do|does|did) {_WHO}\b",
        r"\b(?:married|divorced|widowed|engaged to|single parent|maiden name)\b",
        rf"\b(?:are|is) {_WHO} (?:single|engaged)\b",
        rf"\b{_WHOSE} (?:husband|wife|spouse|boyfriend|girlfriend|"
        r"fianc\w+|kids?|child(?:ren)?|famil(?:y|y's|ies)|parents|mother|father|mum|mom|dad|"
        r"sons?|daughters?|bab(?:y|ies)|toddlers?|dependants?|dependents?|household)\b(?! of)",
        rf"\b(?:do|does|did) {_WHO} have (?:any |a |young )?(?:kids|children|a family|a baby|"
        r"dependants|dependents|a partner|a spouse)\b",
        r"\b(?:have|has|having|start|starting|plans? to have|plans? for|planning|want|wants)"
        r" (?:any |a |more |young )?(?:kids|children|a family|a baby|babies)\b",
        r"\bwith (?:young |small )?(?:kids|children)\b",
        r"\b(?:child ?care|babysit\w*|nanny|nannies|school runs?|day ?care)\b",
        r"\bfamily (?:plans|planning|commitments?|situation|obligations?|responsibilit\w+|"
        r"life|status|circumstances|reasons|duties|man|woman|members?|events?|emergenc\w+)\b",
        r"\b(?:caring|carer|caregiver) (?:for|responsibilit\w+|duties)\b",
        r"\b(?:parental|paternity) leave\b",
    )),
    Topic("pregnancy", "pregnancy is a protected characteristic", _rx(
        r"\bpregnan\w*",
        r"\bmaternity\b",
        r"\bexpecting (?:a baby|a child|twins)\b",
        rf"(?:^|[.;?!] )(?:are|is) {_WHO} expecting\s*[?.!]?\s*$",
        r"\b(?:trying|plan\w*|want\w*) (?:to|for) (?:conceive|get pregnant)\b",
    )),
    Topic("health", "health or disability is a protected characteristic", _rx(
        r"\bdisabilit\w*",
        rf"\b(?:are|is|was|were|have|has) {_WHO} (?:been )?(?:\w+ )?"
        r"(?:disabled|handicapped|ill|sick|unwell|healthy)\b",
        r"\bhandicap\w*",
        rf"\b{_WHOSE} (?:health|medical|mental|physical|illness\w*|diagnos\w+|"
        r"medications?|disabilit\w+|sick\w*|doctors?|therap\w+|eyesight)\b",
        r"\b(?:any|a|chronic|long-term|pre-existing|underlying) (?:health|medical|mental[- ]"
        r"health|physical) (?:conditions?|issues?|problems?|history|needs|concerns?|reasons?)\b",
        r"\bmental[- ]health\b",
        r"\b(?:sick (?:days?|leave|notes?)|time off sick|off sick|calls? in sick)\b",
        r"\b(?:illness\w*|medications?|diagnosed with|"
        r"hospitali[sz]\w*|in hospital|surger(?:y|ies)|therapy|therapist|rehab\w*)\b",
        r"\bin (?:good|poor|bad|great) (?:health|shape)\b",
        r"\b(?:physically|mentally) (?:fit|able|well|ill)\b",
        r"\bhealth (?:conditions?|issues?|problems?|history|reasons?|insurance claims?)\b",
    )),
    Topic("religion", "religion is a protected characteristic", _rx(
        r"\breligio(?:n|ns|us)\b(?!ly)",
        r"\b(?:church|churches|mosques?|synagogues?|temples?|gurdwaras?|worship\w*)\b",
        r"\b(?:pray|prays|prayers?|praying|fasting|fasts)\b",
        rf"\b{_WHOSE} (?:faith|beliefs|god|gods|creed)\b",
        rf"\bholidays? (?:that |which |do |does )?{_WHO} (?:observe|celebrate|keep)\b",
        r"\b(?:observe|observes|celebrate|celebrates) (?:any |which |what |religious )*"
        r"(?:holidays?|holy days|christmas|easter|ramadan|diwali|hanukkah|passover|eid)\b",
        r"\b(?:sabbath|ramadan|kosher|halal)\b",
    )),
    Topic("national origin", "national origin, and citizenship beyond the right to work, "
          "are protected", _rx(
        rf"\bwhere (?:are|is) {_WHO} (?:really |originally |actually )?from\b",
        rf"\b{_WHO}(?:'re| are| is|'s) (?:originally|really|actually) from\b",
        rf"\bwhere (?:were|was|did) {_WHO} (?:born|grow up|grew up|raised)\b",
        r"\bwhere (?:were|are|was) (?:your|their|his|her) (?:parents|family) (?:born|from)\b",
        rf"\b{_WHOSE} (?:nationality|nationalities|ethnicity|race|ancestry|heritage|accent|"
        r"native (?:language|tongue|country)|home country|homeland|country of origin|"
        r"first language|mother tongue|citizenship|immigration status|visa\w*|passport|"
        r"skin|colou?r|surname's origin|name's origin)\b",
        r"\b(?:nationality|nationalities|ethnicity|ethnic (?:origin|background|group)|"
        r"ancestry|country of origin|mother tongue|native (?:speakers?|language|tongue|"
        r"country)|citizenship|immigration|immigrants?|green card|"
        r"work permit type|naturali[sz]\w*)\b",
        r"\b(?:citizens?)\b",
        r"\bvisas?\b",
        rf"\b(?:is|was) english {_WHOSE} (?:first|native) language\b",
        rf"\b(?:what|which) (?:country|countries) (?:are|is|were|was) {_WHO} from\b",
        r"\bthat accent\b",
        r"\bsponsorship (?:status|history|details)\b",
    )),
    Topic("salary history", "salary history is not asked (and in many places may not be)", _rx(
        r"\bsalary histor\w+",
        r"\bpay histor\w+",
        r"\bcompensation histor\w+",
        r"\b(?:current|previous|last|past|prior|present|existing|former) (?:salary|salaries|"
        r"pay|compensation|wages?|earnings|income|bonus|total comp\w*|base(?: salary| pay)?)"
        r"\b(?! (?:image|class|url|case|branch|layer|model|rate|station|version|commit))",
        rf"\bhow much (?:do|did|does|are|were|is|was) {_WHO} (?:currently |now )?(?:earn\w*|"
        r"make|making|paid|get paid)\b",
        rf"\bwhat (?:do|did|does) {_WHO} (?:currently |now )?(?:earn|make)\b",
        rf"\b{_WHO} (?:currently |now )?(?:earns?|earned|(?:are|is|were|was) "
        r"(?:paid|earning))\b[^.;?]{0,25}?\b(?:now|today|currently|at (?:your|their|"
        r"the) (?:current|last|previous)|per year|a year|salary)\b",
        rf"\bwhat (?:were|are|was|is) {_WHO} (?:currently |now )?(?:paid|earning)\b",
        rf"\bwhat (?:is|was|'s) {_WHOSE} (?:salary|pay|compensation|package|income)\b"
        r"(?! (?:expect\w*|range|target|requirement\w*|hopes?|needs?))",
        rf"\b(?:pay|salary|compensation|package) (?:at|in) {_WHOSE} (?:current|last|previous|"
        r"former) (?:job|role|company|employer|position)\b",
        r"\bpay ?slips?\b",
    )),
    Topic("life outside work", "life outside work is not part of the job", _rx(
        r"\boutside (?:of )?(?:work|the office|the job|your job|their job)\b",
        rf"\b{_WHO}\b[^.;?]{{0,30}}?\b(?:play|do|involved in|into) (?:any )?sports?\b",
        r"\b(?:hobbies|hobby|pastimes?|free time|spare time|leisure|personal life|private "
        r"life|social life|home life|personal time)\b",
        rf"\b{_WHOSE} (?:weekends?|evenings|holidays|vacations?|friends|social media|"
        r"personal (?:interests|projects|circumstances|situation))\b",
        r"\b(?:do|does|doing|did) (?:\w+ )?for fun\b",
        rf"\bwhat (?:do|does|did) {_WHO} do (?:on|at|over|during) (?:the )?(?:weekends?|"
        r"evenings?|holidays?)\b",
        rf"\b(?:what|how) {_WHO} (?:do|does|did|spends?|spent) (?:\w+ )?(?:on|at|over|during|in) "
        r"(?:the |their |your )?(?:weekends?|evenings?|holidays?|free time|spare time)\b",
        r"\b(?:extra-?curricular|sports? teams?|gym)\b",
        r"\bwhere (?:do|does) (?:you|they) live\b",
        r"\b(?:commute|commuting) (?:time|distance|from)\b",
    )),
    Topic("culture match", "\"culture match\" invites affinity bias: score the work instead",
          _rx(
        r"\bcultur(?:e|al)[- ]?(?:fit|fits|fitting|match\w*|add)\b",
        r"\bfits? (?:in )?(?:with )?(?:the |our |this )?(?:team|company|office)?(?:'s)? ?"
        r"(?:culture|vibe|way of working)\b",
        r"\b(?:fit|fits|fitting|blend|blends|gel|gels|click|clicks) in (?:with )?"
        r"(?:the team|us|here|our team|the group|the company)\b",
        r"\b(?:team|personality|people|company|gut)[- ]fit\b",
        r"\b(?:right|good|wrong|same) personality\b",
        r"\bpersonality (?:match|type|for the team)\b",
        r"\bmatch(?:es|ing)? (?:how|the way) (?:this|the|our) team\b",
        r"\b(?:someone|people|person) like us\b",
        r"\b(?:be|is|feels? like|seems? like|become) one of us\b",
        r"\b(?:beer|drink|drinks|pint|lunch) with (?:them|him|her|the candidate)\b",
        r"\b(?:get|gets|getting) along with (?:me|us|the team|everyone)\b",
        r"\bgut (?:feel|feeling|instinct|call|reaction)\b",
        r"\blikab\w+|\blikeab\w+",
        r"\b(?:good|bad|right|wrong|team|the same|great) vibes?\b(?! cod)",
        r"\bchemistry with\b",
        r"\bsame (?:background|school|university|wavelength) as\b",
        r"\b(?:would|could) (?:i|we) (?:enjoy working|hang out|spend time) with\b",
        r"\bour kind of (?:person|people|engineer)\b",
    )),
)

TOPICS: tuple[str, ...] = tuple(t.name for t in _TOPICS)


def _normal(text: str) -> str:
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", text)


def _without_technical(text: str) -> str:
    for pattern in _TECHNICAL:
        # Blank to a neutral word of the same shape, so phrases either side cannot join.
        text = pattern.sub(lambda m: " ~ " * max(1, m.group(0).count(" ") + 1), text)
    return text


@dataclass(frozen=True, slots=True)
class Finding:
    """One unfair phrase: the topic it touches, why, and the words that matched."""

    topic: str
    reason: str
    phrase: str


def unfair_phrases(text: str) -> list[Finding]:
    """Every topic the text touches in a personal sense, once each, in topic order."""
    cleaned = _without_technical(_normal(text))
    found: list[Finding] = []
    for topic in _TOPICS:
        for pattern in topic.patterns:
            match = pattern.search(cleaned)
            if match:
                found.append(Finding(topic.name, topic.reason, match.group(0).strip()))
                break
    return found
