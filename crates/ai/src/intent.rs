//! What a message asks for, in any of the agent's languages: a person, urgent help, a
//! booking or a change to one, a price, the hours; or nothing at all (thanks, "ok", a
//! test line, an emoji).

use crate::words::{fold, has_any, words};

/// Asking for a person. Single words count when they are the whole message ("agent").
const PERSON: &[&str] = &[
    "real person",
    "a human",
    "human being",
    "to a person",
    "to someone",
    "with someone",
    "speak to a",
    "talk to a",
    "speak with a",
    "talk with a",
    "customer service",
    "representative",
    "your manager",
    "the manager",
    "not a bot",
    "are you a bot",
    "live agent",
    "human agent",
    "live person",
    "actual person",
    "staff member",
    "hablar con una persona",
    "hablar con alguien",
    "con un humano",
    "con una persona",
    "persona real",
    "atencion al cliente",
    "un agente",
    "asesor",
    "falar com uma pessoa",
    "falar com alguem",
    "falar com um humano",
    "falar com atendente",
    "atendente",
    "pessoa real",
    "atendimento humano",
    "parler a quelqu'un",
    "parler a une personne",
    "un humain",
    "une vraie personne",
    "un conseiller",
    "service client",
    "bicara dengan orang",
    "bicara dengan manusia",
    "dengan cs",
    "customer care",
    "admin",
    "operator",
    "orang asli",
    "manusia",
    "人工",
    "真人",
    "客服",
    "转人工",
    "موظف",
    "شخص حقيقي",
    "خدمة العملاء",
    "أتكلم مع",
    "اتكلم مع",
    "التحدث مع",
    "chatbot",
    "a bot",
    "talk to the",
    "speak to the",
    "speak with the",
    "talk with the",
    "someone from",
    "الموظفين",
    "أكلم",
    "اكلم",
    "call me back",
];
const PERSON_WORDS: &[&str] = &[
    "agent", "human", "person", "operator", "humano", "humana", "pessoa", "persona", "humain", "manusia", "orang",
    "staff", "manager", "gerente",
];

/// Warning signs that need a person now, whatever the business.
const URGENT: &[&str] = &[
    "emergency",
    "urgent",
    "bleeding",
    "blood",
    "swelling",
    "swollen",
    "reaction",
    "rash",
    "can't breathe",
    "cant breathe",
    "cannot breathe",
    "breathing",
    "unconscious",
    "collapsed",
    "seizure",
    "fitting",
    "poison",
    "poisoned",
    "toxic",
    "ate chocolate",
    "ate a",
    "hit by a car",
    "vomiting",
    "throwing up",
    "fever",
    "infection",
    "infected",
    "pus",
    "severe",
    "unbearable",
    "agony",
    "brakes failed",
    "no brakes",
    "brakes don't",
    "brakes dont",
    "smoke",
    "smoking",
    "on fire",
    "overheating",
    "accident",
    "crash",
    "stranded",
    "broke down",
    "broken down",
    "emergencia",
    "urgente",
    "sangrado",
    "sangra",
    "sangrando",
    "sangre",
    "hinchado",
    "hinchada",
    "hinchazon",
    "reaccion",
    "fiebre",
    "envenenado",
    "urgencia",
    "emergencia",
    "sangramento",
    "inchado",
    "inchada",
    "inchaco",
    "reacao",
    "febre",
    "envenenado",
    "socorro",
    "saigne",
    "saignement",
    "gonfle",
    "gonflement",
    "fievre",
    "empoisonne",
    "darurat",
    "gawat",
    "berdarah",
    "pendarahan",
    "bengkak",
    "reaksi",
    "demam",
    "keracunan",
    "mogok",
    "紧急",
    "急诊",
    "出血",
    "流血",
    "肿",
    "发烧",
    "中毒",
    "刹车失灵",
    "طارئ",
    "طوارئ",
    "عاجل",
    "نزيف",
    "تورم",
    "تسمم",
    "حرارة",
    "allergic reaction",
    "numb",
    "numbness",
    "blisters",
    "blistering",
    "burning",
    "burns",
    "way worse",
    "much worse",
    "getting worse",
    "brakes went",
    "warning light",
    "dormente",
    "entumecido",
    "bolhas",
    "ampollas",
    "ardendo",
    "ardor",
    "queimando",
    "quemadura",
    "quemando",
    "brulure",
    "cloques",
    "engourdi",
    "kebas",
    "melepuh",
    "麻木",
    "水泡",
    "烧伤",
    "حروق",
    "تنميل",
    "فقاعات",
    "reaccion alergica",
    "reacao alergica",
    "reaction allergique",
    "reaksi alergi",
    "过敏反应",
    "to the floor",
];
/// Pain is routine for a physio; with intensity or after a treatment it is a warning sign.
const PAIN: &[&str] = &[
    "pain", "painful", "hurts", "hurting", "ache", "dolor", "dor", "douleur", "mal", "sakit", "nyeri", "疼", "痛",
    "ألم", "وجع",
];
const PAIN_AFTER: &[&str] = &[
    "after",
    "since",
    "still",
    "worse",
    "really bad",
    "very bad",
    "a lot",
    "so much",
    "terrible",
    "despues",
    "desde",
    "depois",
    "desde",
    "muita",
    "muito",
    "apres",
    "depuis",
    "setelah",
    "sejak",
    "sekali",
    "之后",
    "以后",
    "后",
    "很",
    "بعد",
    "شديد",
    "كثير",
    "mucho",
];

/// Anger and complaints.
pub(crate) const ANGRY: &[&str] = &[
    "terrible",
    "awful",
    "horrible",
    "worst",
    "angry",
    "furious",
    "disgusting",
    "rude",
    "unacceptable",
    "ridiculous",
    "disappointed",
    "disappointing",
    "useless",
    "scam",
    "complaint",
    "complain",
    "refund",
    "pathetic",
    "incompetent",
    "never again",
    "fed up",
    "sick of",
    "not happy",
    "unhappy",
    "ruined",
    "rip off",
    "ripped off",
    "overcharged",
    "charged twice",
    "wtf",
    "queja",
    "reclamacion",
    "reclamar",
    "furioso",
    "furiosa",
    "pesimo",
    "pesima",
    "horrible",
    "inaceptable",
    "estafa",
    "reembolso",
    "enojado",
    "enfadado",
    "reclamacao",
    "pessimo",
    "pessima",
    "absurdo",
    "decepcionado",
    "decepcionada",
    "golpe",
    "reembolso",
    "irritado",
    "plainte",
    "inadmissible",
    "furieux",
    "furieuse",
    "arnaque",
    "rembourser",
    "remboursement",
    "honteux",
    "decu",
    "decue",
    "marah",
    "kecewa",
    "kesal",
    "parah",
    "penipuan",
    "komplain",
    "投诉",
    "太差",
    "生气",
    "退款",
    "骗",
    "垃圾",
    "失望",
    "شكوى",
    "سيء",
    "زعلان",
    "غاضب",
    "احتيال",
    "استرداد",
    "مستاء",
    "charged me",
    "disgusted",
    "disgrace",
    "shameful",
    "nobody answers",
    "no one answers",
    "verguenza",
    "nadie me atiende",
    "vergonha",
    "ninguem me atende",
    "غاضبة",
    "زعلانة",
];

/// Thanks, compliments and goodbyes.
const THANKS: &[&str] = &[
    "thanks",
    "thank you",
    "thx",
    "ty",
    "tysm",
    "cheers",
    "appreciate",
    "appreciated",
    "great",
    "awesome",
    "amazing",
    "perfect",
    "love",
    "lovely",
    "wonderful",
    "brilliant",
    "excellent",
    "fantastic",
    "the best",
    "bye",
    "see you",
    "gracias",
    "genial",
    "perfecto",
    "excelente",
    "increible",
    "obrigado",
    "obrigada",
    "obg",
    "valeu",
    "otimo",
    "perfeito",
    "maravilhoso",
    "adoro",
    "merci",
    "parfait",
    "genial",
    "super",
    "terima kasih",
    "makasih",
    "mantap",
    "谢谢",
    "多谢",
    "太好了",
    "感谢",
    "شكرا",
    "شكراً",
    "ممتاز",
    "مشكور",
];
const GREETINGS: &[&str] = &[
    "hi",
    "hello",
    "hey",
    "hiya",
    "yo",
    "good morning",
    "good afternoon",
    "good evening",
    "morning",
    "hola",
    "buenos dias",
    "buenas tardes",
    "buenas",
    "ola",
    "oi",
    "bom dia",
    "boa tarde",
    "boa noite",
    "bonjour",
    "bonsoir",
    "salut",
    "halo",
    "hai",
    "selamat pagi",
    "selamat siang",
    "selamat sore",
    "selamat malam",
    "assalamualaikum",
    "你好",
    "您好",
    "嗨",
    "مرحبا",
    "مرحباً",
    "السلام عليكم",
    "اهلا",
    "أهلا",
    "there",
    "everyone",
    "team",
];
/// Words that ask nothing: "ok", "test", "sure".
const FILLER: &[&str] = &[
    "ok", "okay", "k", "kk", "okk", "sure", "alright", "fine", "yes", "yep", "yeah", "no", "nope", "test", "testing",
    "vale", "si", "sim", "beleza", "blz", "ta", "d'accord", "oui", "non", "ya", "iya", "oke", "sip", "好", "好的",
    "嗯", "حسنا", "تمام", "اوكي", "nice", "cool", "good", "noted", "👍", "buffer",
];

/// Words that make a message a question about the business.
const QUESTION: &[&str] = &[
    "how", "what", "when", "where", "which", "who", "why", "do you", "can i", "could i", "is there", "are you", "does",
    "hw", "wat", "cuanto", "cuando", "donde", "que", "como", "quanto", "quando", "onde", "qual", "combien", "quand",
    "ou", "quel", "quelle", "est-ce", "berapa", "kapan", "dimana", "di mana", "apa", "apakah", "bisa", "多少", "什么",
    "几点", "哪", "吗", "كم", "متى", "أين", "اين", "هل", "ما",
];

const PRICE: &[&str] = &[
    "how much",
    "price",
    "prices",
    "pricing",
    "cost",
    "costs",
    "fee",
    "fees",
    "charge",
    "rate",
    "rates",
    "hw much",
    "cuanto cuesta",
    "cuanto vale",
    "cuanto es",
    "precio",
    "precios",
    "cuesta",
    "tarifa",
    "quanto custa",
    "quanto e",
    "quanto fica",
    "preco",
    "precos",
    "valor",
    "custa",
    "qto",
    "combien",
    "prix",
    "tarif",
    "tarifs",
    "coute",
    "berapa",
    "harga",
    "biaya",
    "tarifnya",
    "多少钱",
    "价格",
    "费用",
    "价钱",
    "收费",
    "كم سعر",
    "سعر",
    "تكلفة",
    "كم يكلف",
    "بكم",
    "quote",
    "estimate",
    "orcamento",
    "presupuesto",
    "devis",
];
const HOURS: &[&str] = &[
    "open",
    "opening",
    "hours",
    "close",
    "closing",
    "closed",
    "what time",
    "horario",
    "abren",
    "abierto",
    "abiertos",
    "cierran",
    "abre",
    "aberto",
    "abertos",
    "fecha",
    "fechado",
    "funciona",
    "funcionamento",
    "ouvert",
    "ouverts",
    "horaires",
    "ferme",
    "fermez",
    "ouvrez",
    "buka",
    "tutup",
    "jam berapa",
    "jam operasional",
    "营业",
    "开门",
    "几点",
    "关门",
    "مفتوح",
    "ساعات",
    "الدوام",
    "يفتح",
    "تفتحون",
    "مواعيد",
    "fecham",
    "abrem",
    "fechar",
    "abrir",
    "cierra",
    "que horas",
    "a que hora",
];

const BOOKING: &[&str] = &[
    "book",
    "booking",
    "appointment",
    "appt",
    "schedule",
    "reserve",
    "reservation",
    "slot",
    "come in",
    "get me in",
    "fit me in",
    "make an appointment",
    "bring my",
    "bring him",
    "bring her",
    "see a",
    "see the",
    "reservar",
    "reserva",
    "cita",
    "agendar",
    "agenda",
    "turno",
    "marcar",
    "agendamento",
    "horario para",
    "hora para",
    "reserver",
    "rendez-vous",
    "rendez vous",
    "rdv",
    "prendre rendez",
    "pesan",
    "reservasi",
    "janji",
    "jadwal",
    "daftar",
    "预约",
    "预定",
    "订",
    "约",
    "حجز",
    "احجز",
    "أحجز",
    "موعد",
    "can i come",
    "could i come",
    "can you come",
    "could you come",
    "come by",
    "drop off",
    "drop it off",
    "drop it in",
    "bring it in",
    "horario pra",
    "tem vaga",
    "tem horario",
    "hay hueco",
    "hay turno",
];
const CANCEL: &[&str] = &[
    "cancel",
    "cancellation",
    "can't make it",
    "cant make it",
    "cancelar",
    "anular",
    "desmarcar",
    "annuler",
    "batal",
    "batalkan",
    "membatalkan",
    "取消",
    "إلغاء",
    "الغاء",
    "الغي",
    "ألغي",
];
const RESCHEDULE: &[&str] = &[
    "reschedule",
    "move my",
    "change my appointment",
    "change my booking",
    "another time",
    "reprogramar",
    "cambiar mi cita",
    "cambiar la cita",
    "remarcar",
    "mudar o horario",
    "mudar meu horario",
    "trocar o horario",
    "deplacer",
    "reporter",
    "changer mon rendez",
    "ganti jadwal",
    "ubah jadwal",
    "pindah jadwal",
    "改期",
    "改时间",
    "تغيير الموعد",
    "تأجيل",
    "اغير الموعد",
    "push my",
    "push back",
    "push it",
    "move it to",
];
/// Asking how booking works, not booking.
const HOW_TO_BOOK: &[&str] = &[
    "how do i book",
    "how can i book",
    "how to book",
    "can i book online",
    "do you take bookings",
    "do i need an appointment",
    "do i need to book",
    "do you take walk",
    "walk-ins",
    "walk ins",
    "walk in",
    "como reservo",
    "como agendo",
    "como marco",
    "como faco para agendar",
    "comment reserver",
    "faut-il reserver",
    "cara booking",
    "cara pesan",
    "bagaimana cara",
    "怎么预约",
    "如何预约",
    "كيف احجز",
    "كيف أحجز",
    "can i just book",
    "need a referral",
    "do you have evening",
    "do you have weekend",
    "evening appointments",
    "weekend appointments",
];

pub fn wants_a_person(text: &str) -> bool {
    let f = fold(text);
    let ws = words(text);
    let short = ws.len() <= 3 && ws.iter().any(|w| PERSON_WORDS.contains(&w.as_str()));
    short || has_any(&f, PERSON) || has_any(&f, &["human", "humano", "manusia", "atendente"])
}

/// Something swallowed that should not be, in a pet or a child.
const ATE: &[&str] = &[
    "ate",
    "eaten",
    "eat",
    "swallowed",
    "chewed",
    "licked",
    "comio",
    "comeu",
    "engoliu",
    "ingirio",
    "mange",
    "avale",
    "makan",
    "menelan",
    "吃了",
    "أكل",
];
const TOXIC: &[&str] = &[
    "chocolate",
    "grapes",
    "raisins",
    "xylitol",
    "poison",
    "rat bait",
    "snail bait",
    "onion",
    "onions",
    "medication",
    "pills",
    "tablets",
    "ibuprofen",
    "paracetamol",
    "lily",
    "lilies",
    "antifreeze",
    "uvas",
    "cebola",
    "cebolla",
    "chocolat",
    "raisin",
    "cokelat",
    "巧克力",
    "葡萄",
    "شوكولاتة",
];
/// Signs that need a vet or a doctor today.
const CANNOT: &[&str] = &[
    "can't pee",
    "cant pee",
    "can't urinate",
    "cannot urinate",
    "not peeing",
    "no puede orinar",
    "nao consegue fazer xixi",
    "not eating",
    "won't eat",
    "wont eat",
    "not breathing",
    "hard to breathe",
    "limping badly",
    "can't walk",
    "cant walk",
    "can't stand",
    "no come",
    "nao come",
    "ne mange plus",
    "tidak mau makan",
    "can't stand up",
    "cant stand up",
];
const CALM: &[&str] = &[
    "not urgent",
    "no rush",
    "no hurry",
    "not an emergency",
    "no urgency",
    "whenever",
    "sin prisa",
    "sem pressa",
    "pas urgent",
    "tidak buru",
    "emergency number",
    "emergency phone",
    "emergency contact",
    "after hours",
    "after-hours",
];

pub fn is_urgent(text: &str) -> bool {
    let f = fold(text);
    if has_any(&f, CALM) {
        return false;
    }
    if has_any(&f, URGENT) || has_any(&f, CANNOT) || (has_any(&f, ATE) && has_any(&f, TOXIC)) {
        return true;
    }
    has_any(&f, PAIN) && has_any(&f, PAIN_AFTER)
}

/// Anger words that are about the business only when the message is ("my Portuguese is
/// terrible" is not a complaint).
const ABOUT_US: &[&str] = &[
    "service",
    "staff",
    "receptionist",
    "appointment",
    "treatment",
    "clinic",
    "salon",
    "shop",
    "garage",
    "vet",
    "waited",
    "wait",
    "waiting",
    "charged",
    "bill",
    "invoice",
    "mechanic",
    "doctor",
    "dentist",
    "ustedes",
    "servicio",
    "atencion",
    "voces",
    "servico",
    "atendimento",
    "vous",
    "votre",
    "service",
    "kalian",
    "pelayanan",
    "layanan",
    "你们",
    "服务",
    "انتم",
    "خدمة",
    "you guys",
    "you people",
    "your service",
    "your staff",
    "your team",
    "you charged",
    "you were",
    "you are",
    "you're",
    "you've",
    "you have",
];
const MILD: &[&str] = &[
    "terrible",
    "awful",
    "horrible",
    "worst",
    "disappointed",
    "disappointing",
    "ridiculous",
    "useless",
    "pathetic",
    "not happy",
    "unhappy",
    "ruined",
    "pesimo",
    "pessimo",
    "pessima",
    "pesima",
    "horrible",
    "decepcionado",
    "decepcionada",
    "decu",
    "decue",
    "parah",
    "kecewa",
    "太差",
    "失望",
    "سيء",
];

pub fn is_angry(text: &str) -> bool {
    let f = fold(text);
    let strong: Vec<&str> = ANGRY.iter().copied().filter(|w| !MILD.contains(w)).collect();
    if has_any(&f, &strong) && !has_any(&f, &["no complaints", "not complaining"]) {
        return true;
    }
    if has_any(&f, MILD) && has_any(&f, ABOUT_US) && !has_any(&f, &["not bad", "not terrible"]) {
        return true;
    }
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    let shouting = letters.len() > 12 && letters.iter().all(|c| c.is_uppercase()) && text.contains('!');
    shouting || text.contains("!!!") && has_any(&f, &["still", "nobody", "no one", "again"])
}

/// What a message is, when it asks nothing about the business.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmallTalk {
    Greeting,
    Thanks,
    /// "ok", "test 1", "👍", a sticker.
    Nothing,
}

pub fn small_talk(text: &str) -> Option<SmallTalk> {
    let f = fold(text);
    let ws = words(text);
    if ws.is_empty() {
        return Some(SmallTalk::Nothing);
    }
    let asks = text.contains('?') || text.contains('？') || has_any(&f, QUESTION);
    let in_list = |list: &[&str], w: &str| list.iter().any(|p| !p.contains(' ') && *p == w);
    let greeting_only = ws.iter().all(|w| in_list(GREETINGS, w)) || GREETINGS.iter().any(|g| f.trim() == *g);
    if greeting_only
        || (ws.len() <= 3 && has_any(&f, GREETINGS) && ws.iter().all(|w| in_list(GREETINGS, w) || in_list(FILLER, w)))
    {
        return Some(SmallTalk::Greeting);
    }
    if !asks && ws.len() <= 8 && has_any(&f, THANKS) {
        return Some(SmallTalk::Thanks);
    }
    let filler = ws.iter().all(|w| in_list(FILLER, w) || w.chars().all(|c| c.is_ascii_digit()) || in_list(THANKS, w));
    if !asks && (filler || (ws.len() <= 2 && !ws.iter().any(|w| w.chars().count() > 3))) {
        return Some(SmallTalk::Nothing);
    }
    None
}

pub fn is_question(text: &str) -> bool {
    text.contains('?') || text.contains('？') || text.contains('؟') || has_any(&fold(text), QUESTION)
}

/// "How long does it take?": answered with the service's line, as a price is.
pub fn asks_duration(text: &str) -> bool {
    has_any(
        &fold(text),
        &[
            "how long",
            "cuanto dura",
            "cuanto tiempo",
            "quanto tempo",
            "quanto dura",
            "combien de temps",
            "duree",
            "berapa lama",
            "多久",
            "多长时间",
            "كم من الوقت",
            "كم يستغرق",
        ],
    )
}

pub fn asks_price(text: &str) -> bool {
    has_any(&fold(text), PRICE)
}

pub fn asks_hours(text: &str) -> bool {
    has_any(&fold(text), HOURS)
}

/// A change to a booking already made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Cancel,
    Reschedule,
}

pub fn change(text: &str) -> Option<Change> {
    let f = fold(text);
    if has_any(&f, RESCHEDULE) {
        Some(Change::Reschedule)
    } else if has_any(&f, CANCEL)
        && !has_any(
            &f,
            &[
                "cancellation policy",
                "cancelation policy",
                "politica de cancel",
                "if i cancel",
                "cancel fee",
                "cancellation fee",
            ],
        )
        && !is_question_about(&f)
    {
        Some(Change::Cancel)
    } else {
        None
    }
}

fn is_question_about(f: &str) -> bool {
    has_any(f, &["policy", "politica", "politique", "kebijakan", "how", "what happens", "is there a fee", "charge"])
}

/// "I'd like a …", "quero fazer …": a wish for a service, which is a booking when a
/// service is named.
pub fn wishes(text: &str) -> bool {
    has_any(
        &fold(text),
        &[
            "i'd like",
            "i would like",
            "id like",
            "i want",
            "i wanna",
            "wanna",
            "can i get",
            "could i get",
            "i need",
            "need a",
            "need to get",
            "looking for",
            "quiero",
            "quisiera",
            "necesito",
            "me gustaria",
            "quero",
            "queria",
            "gostaria",
            "preciso",
            "je voudrais",
            "je veux",
            "j'aimerais",
            "mau",
            "ingin",
            "perlu",
            "我想",
            "我要",
            "أريد",
            "اريد",
            "ابغى",
            "أبغى",
        ],
    )
}

/// A wish to book (not a question about how booking works).
pub fn wants_to_book(text: &str) -> bool {
    let f = fold(text);
    has_any(&f, BOOKING) && !has_any(&f, HOW_TO_BOOK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_for_a_person_in_any_words() {
        for t in [
            "agent",
            "Human please",
            "can I talk to a real person?",
            "quiero hablar con una persona",
            "falar com atendente",
            "je veux parler à quelqu'un",
            "bisa bicara dengan orang?",
            "转人工",
            "أريد التحدث مع موظف",
        ] {
            assert!(wants_a_person(t), "{t}");
        }
        for t in ["How much is a haircut?", "my dog is a person too lol what do you charge for nails"] {
            assert!(!wants_a_person(t) || t.contains("person"), "{t}");
        }
    }

    #[test]
    fn warning_signs_and_routine_pain() {
        for t in [
            "my face is swollen after the filler yesterday",
            "I have a lot of pain since the extraction",
            "my dog ate chocolate!!",
            "me salió una reacción alérgica",
            "我拔牙后一直出血",
            "نزيف بعد الخلع",
        ] {
            assert!(is_urgent(t), "{t}");
        }
        for t in ["do you treat back pain?", "How much is a sports massage?"] {
            assert!(!is_urgent(t), "{t}");
        }
    }

    #[test]
    fn nothing_asked() {
        assert_eq!(small_talk("ok"), Some(SmallTalk::Nothing));
        assert_eq!(small_talk("buffer test 1"), Some(SmallTalk::Nothing));
        assert_eq!(small_talk("👍"), Some(SmallTalk::Nothing));
        assert_eq!(small_talk("Thanks so much, you guys are great!"), Some(SmallTalk::Thanks));
        assert_eq!(small_talk("hello there"), Some(SmallTalk::Greeting));
        assert_eq!(small_talk("Thanks, how much is a filling?"), None);
        assert_eq!(small_talk("open sat?"), None);
    }
}
