//! The demo business: a family clinic, its people and the way its patients write.
//! Plain data, kept apart from the code that writes it into a workspace.

/// Where the demo clinic is (its settings).
pub const TIME_ZONE: &str = "America/Chicago";
pub const REGION: &str = "US";
pub const BUSINESS_NAME: &str = "Lakeside Family Clinic";

/// The clinic's website, where its knowledge comes from (read as an import reads a page:
/// one entry per heading).
pub const SITE: &str = include_str!("site.html");
/// Where that page would be: a reserved name that never resolves, so nothing cited
/// points at someone's real site.
pub const SITE_URL: &str = "https://lakeside-clinic.example/";

/// Labels: name, colour.
pub const LABELS: &[(&str, &str)] =
    &[("VIP", "#d97706"), ("New patient", "#2563eb"), ("Billing", "#7c3aed"), ("Follow-up", "#059669")];

/// Approved WhatsApp templates: name, body.
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "appointment_reminder",
        "Hi {{1}}, this is Lakeside Family Clinic reminding you of your visit on {{2}}. Reply YES to confirm.",
    ),
    ("results_ready", "Hi {{1}}, your test results are ready in the patient portal."),
    (
        "follow_up",
        "Hi {{1}}, we wanted to check how you are feeling after your visit. Just reply here if you have questions.",
    ),
];

/// Internal notes members leave on some conversations.
pub const NOTES: &[&str] = &[
    "Prefers morning slots; mention the 8:00 same-day openings.",
    "Insurance card expired last visit, ask for the new one at reception.",
    "Called twice about this already, please handle with care.",
];

/// Services patients ask to book, with the time they ask for.
pub const BOOKINGS: &[(&str, &str)] = &[
    ("Dental check-up", "Thursday morning"),
    ("General consultation", "tomorrow after 17:00"),
    ("Physiotherapy", "next week, any afternoon"),
    ("Blood tests", "Friday before 10"),
];

pub const MEMBERS: &[(&str, &str)] = &[("Dana Whitfield", "admin"), ("Sam Rivera", "agent"), ("Priya Shah", "agent")];

pub const CONTACT_NAMES: &[&str] = &[
    "Olivia Bennett",
    "Liam O'Connor",
    "Amara Okafor",
    "Mateo García",
    "Sofia Rossi",
    "Noah Fischer",
    "Hannah Cohen",
    "Yusuf Demir",
    "Chloe Martin",
    "Ethan Walker",
    "Mei Lin",
    "Lucas Silva",
    "Aisha Rahman",
    "Jonas Berg",
    "Grace Kim",
    "Daniel Novak",
    "Fatima Zahra",
    "Oscar Lindqvist",
    "Emily Clarke",
    "Ravi Menon",
    "Isabella Costa",
    "Tomás Herrera",
    "Zoe Adams",
    "Kenji Watanabe",
    "Lena Schulz",
    "Marcus Brown",
    "Nadia Petrova",
    "Samuel Mensah",
    "Ana Pereira",
    "Ben Carter",
    "Leila Haddad",
    "Victor Dubois",
    "Maya Thompson",
    "Arjun Patel",
    "Ingrid Hansen",
    "Diego Morales",
];

/// One conversation's history: who says what, in order. `true` = the patient.
pub type Turn = (bool, &'static str);

pub const DIALOGS: &[&[Turn]] = &[
    &[
        (true, "Hi, do you have any appointments today for a general consultation?"),
        (
            false,
            "Hello! We have a slot at 15:40 today with Dr. Alvarez. A consultation is $65. Shall I book it for you?",
        ),
        (true, "Yes please, 15:40 works."),
        (false, "Booked for 15:40 today. Please arrive 10 minutes early and bring your insurance card."),
    ],
    &[
        (true, "What time do you open on Saturday?"),
        (false, "On Saturdays we are open 9:00-14:00. Is there something you'd like to book?"),
        (true, "Just a flu shot, can I walk in?"),
        (false, "Yes, flu shots are walk-in, no appointment needed. It's $25."),
        (true, "Great, see you Saturday morning"),
    ],
    &[
        (true, "Hello, I had blood taken on Monday. When will the results be ready?"),
        (
            false,
            "Results usually take 2 working days and appear in your patient portal. I'll ask the lab to check on yours.",
        ),
        (true, "Thanks. I still can't see anything in the portal."),
    ],
    &[
        (true, "How much is a physio session? My knee has been bad since I went running."),
        (
            false,
            "A 45-minute physiotherapy session is $80, or $360 for a course of 5. Would you like an assessment first?",
        ),
        (true, "Is there anything this week after 17:00?"),
    ],
    &[
        (true, "I need to cancel my appointment tomorrow at 9:20, sorry"),
        (false, "No problem, I've cancelled your 9:20 appointment. Would you like to rebook?"),
        (true, "Maybe next week, I'll message again"),
    ],
    &[
        (true, "Do you do dental cleaning for kids? My daughter is 8."),
        (false, "Yes! A dental check-up and cleaning for children under 12 is $60 and takes about 40 minutes."),
        (true, "Perfect. Do you have anything on a Saturday?"),
        (false, "Saturday 10:30 is free. Shall I book it under your daughter's name?"),
        (true, "Yes, her name is Lily. Thank you!"),
    ],
    &[
        (true, "Is there parking at the clinic?"),
        (false, "Yes, free parking behind the building at 12 Harbour Road, next to the pharmacy."),
    ],
    &[
        (true, "I was charged twice for my visit last week, can someone look at this?"),
        (false, "I'm sorry about that. I'm passing this to our billing team so a person can check it today."),
        (true, "Please do, it's $130 in total and I only had one consultation."),
    ],
    &[
        (true, "Do you take Bluecross insurance?"),
        (false, "We bill most major insurers directly, including Bluecross. Please bring your card to reception."),
        (true, "ok thanks"),
    ],
    &[
        (true, "I need travel vaccines for a trip to Kenya in March. What do I need to do?"),
        (
            false,
            "Travel vaccines need a short consultation first ($65) so the doctor can check which ones you need. Would you like to book one?",
        ),
        (true, "Yes, any weekday morning is fine."),
        (false, "Thursday 8:40 is available. Shall I book it?"),
    ],
    &[
        (true, "My son has had a fever of 39 since last night, should I bring him in?"),
        (
            false,
            "I'm connecting you with a member of our team right away. If he has trouble breathing, please call emergency services.",
        ),
        (true, "He is breathing fine, just very tired."),
    ],
    &[
        (true, "Can I get a copy of my vaccination record?"),
        (false, "Of course. Your record is in the patient portal under Documents, or we can email it to you."),
        (true, "Email would be easier, please."),
    ],
];

/// First messages from new visitors, sent by the simulator.
pub const OPENERS: &[&str] = &[
    "Hi! Are you open today?",
    "How much does a general consultation cost?",
    "Can I book a dental check-up for next week?",
    "Do I need an appointment for a flu shot?",
    "Hello, I'd like to see a doctor today if possible.",
    "What's your address? I can't find you on the map.",
    "Do you have a physiotherapist available on Saturdays?",
    "Can I do a fasting blood test tomorrow morning?",
    "I think I have an ear infection, how soon can I be seen?",
    "Do you accept new patients?",
    "Is Dr. Alvarez working on Friday?",
    "Hi, can I talk to a person please?",
];

/// Follow-ups in conversations that are already going.
pub const FOLLOW_UPS: &[&str] = &[
    "Thanks! Also, is there parking nearby?",
    "Could we make it a bit later, maybe after 17:00?",
    "Do I need to bring anything?",
    "How long will it take?",
    "Is it covered by insurance?",
    "Great, thank you so much!",
    "Sorry, one more question: can my husband come at the same time?",
    "I'm running 10 minutes late, is that ok?",
    "Can you send me a reminder the day before?",
    "Actually, can I speak to someone at reception?",
];
