"""The realistic parts the portal benchmark builds a national catalogue of services from (Arabic, French, English).

Every name is a real administrative action on a real administrative object, so that the directory's search is asked
words people type ("بطاقة التعريف", "جواز سفر", "extrait de naissance"). Triples are (ar, fr, en).
"""

# The ministries, each with the theme of its services: (code, ar, fr, en, category, life events, objects).
# An object is (ar, fr, en); a service is an action on an object, sometimes with a qualifier.
MINISTRIES = (
    (
        "INT",
        ("وزارة الداخلية", "Ministère de l'Intérieur", "Ministry of the Interior"),
        "civil_status",
        ("birth", "travel", "marriage", "death"),
        (
            ("بطاقة التعريف الوطنية", "carte d'identité nationale", "national identity card"),
            ("جواز السفر", "passeport", "passport"),
            ("مضمون الولادة", "extrait de naissance", "birth certificate"),
            ("عقد الزواج", "acte de mariage", "marriage certificate"),
            ("مضمون الوفاة", "extrait de décès", "death certificate"),
            ("شهادة الإقامة", "certificat de résidence", "certificate of residence"),
            ("بطاقة السوابق العدلية", "bulletin numéro 3", "criminal record extract"),
            ("التعريف بالإمضاء", "légalisation de signature", "signature certification"),
            ("شهادة مطابقة النسخة للأصل", "copie conforme", "certified true copy"),
        ),
    ),
    (
        "JUS",
        ("وزارة العدل", "Ministère de la Justice", "Ministry of Justice"),
        "justice",
        ("marriage", "business", "death"),
        (
            ("مضمون حكم", "expédition de jugement", "copy of a judgment"),
            ("شهادة في عدم الإفلاس", "certificat de non-faillite", "certificate of non-bankruptcy"),
            ("الإعانة العدلية", "aide judiciaire", "legal aid"),
            ("شهادة في عدم الطعن", "certificat de non-recours", "certificate of no appeal"),
            ("حجة الوفاة", "acte de notoriété après décès", "certificate of inheritance"),
            ("التسجيل بالسجل التجاري", "immatriculation au registre du commerce", "commercial register entry"),
        ),
    ),
    (
        "FIN",
        ("وزارة المالية", "Ministère des Finances", "Ministry of Finance"),
        "taxes",
        ("business", "work", "housing"),
        (
            ("المعرف الجبائي", "matricule fiscal", "tax identification number"),
            ("التصريح بالدخل", "déclaration de revenus", "income tax return"),
            ("شهادة في الوضعية الجبائية", "attestation de situation fiscale", "tax clearance certificate"),
            ("استرجاع فائض الأداء", "restitution du crédit d'impôt", "tax refund"),
            ("معلوم الجولان", "vignette automobile", "vehicle tax sticker"),
            ("التصريح الديواني", "déclaration en douane", "customs declaration"),
            ("تسجيل العقود", "enregistrement des actes", "registration of deeds"),
            ("شهادة الإعفاء من الأداء", "attestation d'exonération", "tax exemption certificate"),
        ),
    ),
    (
        "SAN",
        ("وزارة الصحة", "Ministère de la Santé", "Ministry of Health"),
        "health",
        ("health", "birth", "work"),
        (
            ("دفتر العلاج", "carnet de soins", "health care booklet"),
            ("الشهادة الطبية", "certificat médical", "medical certificate"),
            ("موعد الاستشارة الطبية", "rendez-vous de consultation", "medical appointment"),
            ("بطاقة التلقيح", "carnet de vaccination", "vaccination record"),
            ("رخصة فتح صيدلية", "autorisation d'ouverture de pharmacie", "pharmacy licence"),
            ("ترخيص ممارسة مهنة طبية", "autorisation d'exercice médical", "medical practice licence"),
            ("الملف الطبي", "dossier médical", "medical record"),
        ),
    ),
    (
        "EDU",
        ("وزارة التربية", "Ministère de l'Éducation", "Ministry of Education"),
        "education",
        ("studies", "birth"),
        (
            ("الترسيم المدرسي", "inscription scolaire", "school enrolment"),
            ("شهادة الحضور المدرسي", "certificat de scolarité", "school attendance certificate"),
            ("بطاقة الأعداد", "bulletin de notes", "school report"),
            ("نتائج الامتحانات الوطنية", "résultats des examens nationaux", "national exam results"),
            ("المنحة المدرسية", "bourse scolaire", "school grant"),
            ("النقلة المدرسية", "transfert scolaire", "school transfer"),
        ),
    ),
    (
        "ESR",
        (
            "وزارة التعليم العالي والبحث العلمي",
            "Ministère de l'Enseignement supérieur et de la Recherche scientifique",
            "Ministry of Higher Education and Scientific Research",
        ),
        "education",
        ("studies", "work"),
        (
            ("التوجيه الجامعي", "orientation universitaire", "university admission"),
            ("المنحة الجامعية", "bourse universitaire", "university grant"),
            ("السكن الجامعي", "logement universitaire", "student housing"),
            ("معادلة الشهادات", "équivalence de diplôme", "diploma equivalence"),
            ("شهادة النجاح", "attestation de réussite", "certificate of success"),
            ("القرض الجامعي", "prêt universitaire", "student loan"),
        ),
    ),
    (
        "AFS",
        ("وزارة الشؤون الاجتماعية", "Ministère des Affaires sociales", "Ministry of Social Affairs"),
        "social",
        ("retirement", "health", "work", "death"),
        (
            ("جراية التقاعد", "pension de retraite", "retirement pension"),
            ("المنحة العائلية", "allocations familiales", "family allowance"),
            ("بطاقة العلاج المجاني", "carte de soins gratuits", "free health care card"),
            (
                "شهادة الانخراط في الضمان الاجتماعي",
                "attestation d'affiliation à la sécurité sociale",
                "social security registration certificate",
            ),
            ("منحة الأمان الاجتماعي", "aide sociale", "social assistance"),
            ("بطاقة إعاقة", "carte d'handicapé", "disability card"),
            ("رأس مال الوفاة", "capital décès", "death grant"),
        ),
    ),
    (
        "EMP",
        (
            "وزارة التشغيل والتكوين المهني",
            "Ministère de l'Emploi et de la Formation professionnelle",
            "Ministry of Employment and Vocational Training",
        ),
        "employment",
        ("work", "studies", "business"),
        (
            ("بطاقة طالب شغل", "carte de demandeur d'emploi", "job seeker card"),
            ("عقد التربص", "contrat de stage", "internship contract"),
            (
                "الترسيم بمراكز التكوين المهني",
                "inscription en formation professionnelle",
                "vocational training enrolment",
            ),
            ("تأشيرة عقد عمل أجنبي", "visa de contrat de travail étranger", "foreign work contract approval"),
            ("منحة بعث المشاريع", "prime de création d'entreprise", "business start-up grant"),
        ),
    ),
    (
        "TRA",
        ("وزارة النقل", "Ministère du Transport", "Ministry of Transport"),
        "transport",
        ("driving", "travel", "business"),
        (
            ("رخصة السياقة", "permis de conduire", "driving licence"),
            ("البطاقة الرمادية", "carte grise", "vehicle registration certificate"),
            ("الفحص الفني للعربات", "visite technique", "vehicle inspection"),
            ("رخصة سيارة أجرة", "licence de taxi", "taxi licence"),
            ("نقل ملكية عربة", "mutation de propriété de véhicule", "vehicle ownership transfer"),
            ("رخصة النقل العمومي", "autorisation de transport public", "public transport licence"),
        ),
    ),
    (
        "AGR",
        ("وزارة الفلاحة", "Ministère de l'Agriculture", "Ministry of Agriculture"),
        "agriculture",
        ("business", "housing"),
        (
            ("بطاقة فلاح", "carte d'agriculteur", "farmer card"),
            ("منحة الاستثمار الفلاحي", "prime d'investissement agricole", "agricultural investment grant"),
            ("رخصة حفر بئر", "autorisation de forage de puits", "well drilling permit"),
            ("الشهادة الصحية البيطرية", "certificat sanitaire vétérinaire", "veterinary health certificate"),
            ("رخصة الصيد البحري", "licence de pêche", "fishing licence"),
            ("التأمين على الجوائح", "assurance contre les calamités", "disaster insurance"),
        ),
    ),
    (
        "COM",
        ("وزارة التجارة", "Ministère du Commerce", "Ministry of Commerce"),
        "business",
        ("business",),
        (
            ("بطاقة تاجر", "carte de commerçant", "trader card"),
            ("رخصة التوريد", "autorisation d'importation", "import licence"),
            ("رخصة التصدير", "autorisation d'exportation", "export licence"),
            ("حجز اسم تجاري", "réservation de dénomination sociale", "company name reservation"),
            ("شهادة المنشأ", "certificat d'origine", "certificate of origin"),
            ("رخصة البيع بالتخفيض", "autorisation de soldes", "sales permit"),
        ),
    ),
    (
        "IND",
        ("وزارة الصناعة", "Ministère de l'Industrie", "Ministry of Industry"),
        "business",
        ("business",),
        (
            ("التصريح بالاستثمار", "déclaration d'investissement", "investment declaration"),
            ("شهادة المطابقة", "certificat de conformité", "certificate of conformity"),
            ("براءة الاختراع", "brevet d'invention", "patent"),
            ("تسجيل علامة تجارية", "dépôt de marque", "trademark registration"),
            ("رخصة مؤسسة مصنفة", "autorisation d'établissement classé", "classified facility permit"),
        ),
    ),
    (
        "TIC",
        (
            "وزارة تكنولوجيات الاتصال",
            "Ministère des Technologies de la communication",
            "Ministry of Communication Technologies",
        ),
        "digital",
        ("business", "work"),
        (
            ("الهوية الرقمية", "identité numérique", "digital identity"),
            ("شهادة الإمضاء الإلكتروني", "certificat de signature électronique", "electronic signature certificate"),
            ("الصندوق البريدي الرقمي", "boîte postale numérique", "digital mailbox"),
            ("ترخيص مزود خدمات", "licence de fournisseur de services", "service provider licence"),
            ("إسناد اسم نطاق", "attribution de nom de domaine", "domain name registration"),
        ),
    ),
    (
        "EQP",
        ("وزارة التجهيز والإسكان", "Ministère de l'Équipement et de l'Habitat", "Ministry of Equipment and Housing"),
        "housing",
        ("housing", "business"),
        (
            ("رخصة البناء", "permis de bâtir", "building permit"),
            ("شهادة الصبغة العمرانية", "certificat de vocation urbanistique", "zoning certificate"),
            ("رخصة التقسيم", "autorisation de lotissement", "subdivision permit"),
            ("شهادة المطابقة للبناء", "certificat de conformité des constructions", "building compliance certificate"),
            ("رخصة الهدم", "permis de démolir", "demolition permit"),
            ("المسكن الاجتماعي", "logement social", "social housing"),
        ),
    ),
    (
        "DOM",
        (
            "وزارة أملاك الدولة والشؤون العقارية",
            "Ministère des Domaines de l'État et des Affaires foncières",
            "Ministry of State Property and Land Affairs",
        ),
        "housing",
        ("housing", "death"),
        (
            ("شهادة الملكية", "certificat de propriété", "land title certificate"),
            ("الرسم العقاري", "titre foncier", "land title"),
            ("المثال الهندسي", "plan cadastral", "cadastral plan"),
            ("ترسيم عقد بيع", "inscription d'un acte de vente", "registration of a sale deed"),
            ("تسوية الوضعية العقارية", "régularisation foncière", "land tenure regularization"),
        ),
    ),
    (
        "ENV",
        ("وزارة البيئة", "Ministère de l'Environnement", "Ministry of the Environment"),
        "environment",
        ("business", "housing"),
        (
            ("دراسة المؤثرات على المحيط", "étude d'impact environnemental", "environmental impact assessment"),
            ("رخصة التصرف في النفايات", "autorisation de gestion des déchets", "waste management permit"),
            ("شكاية تلوث", "plainte pour pollution", "pollution complaint"),
            ("رخصة رفع الفضلات", "autorisation d'enlèvement des déchets", "waste collection permit"),
        ),
    ),
    (
        "TOU",
        ("وزارة السياحة", "Ministère du Tourisme", "Ministry of Tourism"),
        "business",
        ("business", "travel"),
        (
            ("رخصة وكالة أسفار", "licence d'agence de voyages", "travel agency licence"),
            ("تصنيف نزل", "classement hôtelier", "hotel classification"),
            ("بطاقة دليل سياحي", "carte de guide touristique", "tourist guide card"),
            ("رخصة مطعم سياحي", "autorisation de restaurant touristique", "tourist restaurant permit"),
        ),
    ),
    (
        "AET",
        ("وزارة الشؤون الخارجية", "Ministère des Affaires étrangères", "Ministry of Foreign Affairs"),
        "civil_status",
        ("travel", "studies", "marriage"),
        (
            ("التأشيرة", "visa", "visa"),
            ("التعريف بالإمضاء القنصلي", "légalisation consulaire", "consular legalization"),
            ("التسجيل القنصلي", "immatriculation consulaire", "consular registration"),
            ("جواز السفر القنصلي", "passeport consulaire", "consular passport"),
        ),
    ),
    (
        "JSP",
        ("وزارة الشباب والرياضة", "Ministère de la Jeunesse et des Sports", "Ministry of Youth and Sports"),
        "culture",
        ("studies",),
        (
            ("إجازة رياضية", "licence sportive", "sports licence"),
            ("تكوين جمعية رياضية", "création d'association sportive", "sports club registration"),
            ("منحة رياضي النخبة", "bourse de sportif d'élite", "elite athlete grant"),
            ("حجز منشأة رياضية", "réservation d'installation sportive", "sports facility booking"),
        ),
    ),
    (
        "CUL",
        ("وزارة الشؤون الثقافية", "Ministère des Affaires culturelles", "Ministry of Cultural Affairs"),
        "culture",
        ("business", "studies"),
        (
            ("بطاقة فنان محترف", "carte d'artiste professionnel", "professional artist card"),
            ("الإيداع القانوني", "dépôt légal", "legal deposit"),
            ("دعم الإنتاج الثقافي", "aide à la production culturelle", "cultural production grant"),
            ("رخصة تصوير", "autorisation de tournage", "filming permit"),
        ),
    ),
    (
        "FAM",
        ("وزارة الأسرة والمرأة", "Ministère de la Famille et de la Femme", "Ministry of Family and Women"),
        "social",
        ("birth", "marriage"),
        (
            ("الترسيم برياض الأطفال", "inscription au jardin d'enfants", "kindergarten enrolment"),
            ("رخصة محضنة", "autorisation de crèche", "nursery licence"),
            ("منحة الأم الحاضنة", "aide à la mère célibataire", "single mother allowance"),
        ),
    ),
    (
        "ENE",
        ("وزارة الطاقة والمناجم", "Ministère de l'Énergie et des Mines", "Ministry of Energy and Mines"),
        "business",
        ("housing", "business"),
        (
            ("الربط بشبكة الكهرباء", "raccordement au réseau électrique", "electricity connection"),
            ("الربط بشبكة الغاز", "raccordement au gaz", "gas connection"),
            ("رخصة البحث عن المناجم", "permis de recherche minière", "mining exploration permit"),
            ("منحة الطاقة الشمسية", "prime solaire", "solar energy grant"),
        ),
    ),
    (
        "LOC",
        ("وزارة الشؤون المحلية", "Ministère des Affaires locales", "Ministry of Local Affairs"),
        "civil_status",
        ("housing", "business", "birth", "death"),
        (
            ("رخصة استغلال الملك العمومي", "autorisation d'occupation du domaine public", "public space permit"),
            ("رخصة محل تجاري", "autorisation d'ouverture de commerce", "shop opening permit"),
            ("شهادة الترقيم", "certificat de numérotation", "address number certificate"),
            ("رخصة الدفن", "permis d'inhumer", "burial permit"),
            ("معلوم العقارات المبنية", "taxe sur les immeubles bâtis", "property tax"),
        ),
    ),
    (
        "ECO",
        (
            "وزارة الاقتصاد والتخطيط",
            "Ministère de l'Économie et de la Planification",
            "Ministry of Economy and Planning",
        ),
        "business",
        ("business",),
        (
            ("منحة الاستثمار", "prime d'investissement", "investment grant"),
            ("شهادة المؤسسة الناشئة", "label startup", "start-up label"),
            ("المعرف الإحصائي", "identifiant statistique", "statistical identifier"),
            ("الإحصائيات الوطنية", "statistiques nationales", "national statistics"),
        ),
    ),
)

# What people do with an administrative object. The French preposition elides before a vowel.
ACTIONS = (
    ("طلب", "Demande de", "Application for"),
    ("تجديد", "Renouvellement de", "Renewal of"),
    ("استخراج نظير من", "Duplicata de", "Duplicate of"),
    ("إصلاح", "Rectification de", "Correction of"),
    ("سحب", "Retrait de", "Collection of"),
    ("متابعة طلب", "Suivi de la demande de", "Tracking of the application for"),
)

# What sets two services on the same object apart (None: the plain service).
QUALIFIERS = (
    None,
    ("عن بعد", "en ligne", "online"),
    ("للمؤسسات", "pour les entreprises", "for businesses"),
    ("للمقيمين بالخارج", "pour les résidents à l'étranger", "for residents abroad"),
    ("في إجراء مستعجل", "en procédure d'urgence", "urgent procedure"),
    ("للأجانب", "pour les étrangers", "for foreigners"),
    ("للطلبة", "pour les étudiants", "for students"),
    ("للجمعيات", "pour les associations", "for associations"),
    ("للحرفيين", "pour les artisans", "for craftsmen"),
    ("بالشباك الموحد", "au guichet unique", "at the one-stop shop"),
)

LIFE_EVENTS = (
    ("birth", ("ولادة طفل", "Naissance d'un enfant", "Having a baby")),
    ("studies", ("الدراسة", "Études", "Studying")),
    ("work", ("البحث عن عمل", "Recherche d'emploi", "Looking for work")),
    ("marriage", ("الزواج", "Mariage", "Getting married")),
    ("housing", ("السكن والبناء", "Logement et construction", "Housing and building")),
    ("driving", ("السياقة والعربات", "Conduite et véhicules", "Driving and vehicles")),
    ("business", ("بعث مؤسسة", "Créer une entreprise", "Starting a business")),
    ("health", ("الصحة", "Santé", "Health")),
    ("retirement", ("التقاعد", "Retraite", "Retirement")),
    ("travel", ("السفر", "Voyager", "Travelling")),
    ("death", ("وفاة قريب", "Décès d'un proche", "Death of a relative")),
)

CATEGORIES = (
    ("civil_status", ("الحالة المدنية والهوية", "État civil et identité", "Civil status and identity")),
    ("justice", ("العدل", "Justice", "Justice")),
    ("taxes", ("الجباية والديوانة", "Impôts et douane", "Taxes and customs")),
    ("health", ("الصحة", "Santé", "Health")),
    ("education", ("التعليم", "Enseignement", "Education")),
    ("social", ("الحماية الاجتماعية", "Protection sociale", "Social protection")),
    ("employment", ("التشغيل والتكوين", "Emploi et formation", "Employment and training")),
    ("transport", ("النقل", "Transport", "Transport")),
    ("agriculture", ("الفلاحة والصيد البحري", "Agriculture et pêche", "Agriculture and fishing")),
    ("business", ("المؤسسات والاستثمار", "Entreprises et investissement", "Business and investment")),
    ("digital", ("الاقتصاد الرقمي", "Économie numérique", "Digital economy")),
    ("housing", ("السكن والتعمير", "Logement et urbanisme", "Housing and planning")),
    ("environment", ("البيئة", "Environnement", "Environment")),
    ("culture", ("الثقافة والرياضة", "Culture et sports", "Culture and sports")),
)

# The directorates of each ministry: central ones by theme, then regional ones by region.
CENTRAL_UNITS = (
    (
        "الإدارة العامة للمصالح المشتركة",
        "Direction générale des services communs",
        "General Directorate of Common Services",
    ),
    (
        "الإدارة العامة للشؤون القانونية",
        "Direction générale des affaires juridiques",
        "General Directorate of Legal Affairs",
    ),
    ("إدارة الإعلامية", "Direction de l'informatique", "IT Directorate"),
    ("إدارة العلاقات مع المواطن", "Direction des relations avec le citoyen", "Citizen Relations Directorate"),
    ("إدارة الدراسات والتخطيط", "Direction des études et de la planification", "Studies and Planning Directorate"),
    ("الإدارة العامة للخدمات", "Direction générale des services", "General Directorate of Services"),
)
REGIONS = (
    ("تونس", "Tunis", "Tunis"),
    ("أريانة", "Ariana", "Ariana"),
    ("بن عروس", "Ben Arous", "Ben Arous"),
    ("منوبة", "Manouba", "Manouba"),
    ("نابل", "Nabeul", "Nabeul"),
    ("زغوان", "Zaghouan", "Zaghouan"),
    ("بنزرت", "Bizerte", "Bizerte"),
    ("باجة", "Béja", "Beja"),
    ("جندوبة", "Jendouba", "Jendouba"),
    ("الكاف", "Le Kef", "Kef"),
    ("سليانة", "Siliana", "Siliana"),
    ("سوسة", "Sousse", "Sousse"),
    ("المنستير", "Monastir", "Monastir"),
    ("المهدية", "Mahdia", "Mahdia"),
    ("صفاقس", "Sfax", "Sfax"),
    ("القيروان", "Kairouan", "Kairouan"),
    ("القصرين", "Kasserine", "Kasserine"),
    ("سيدي بوزيد", "Sidi Bouzid", "Sidi Bouzid"),
    ("قابس", "Gabès", "Gabes"),
    ("مدنين", "Médenine", "Medenine"),
    ("تطاوين", "Tataouine", "Tataouine"),
    ("قفصة", "Gafsa", "Gafsa"),
    ("توزر", "Tozeur", "Tozeur"),
    ("قبلي", "Kébili", "Kebili"),
)
REGIONAL_UNIT = ("الإدارة الجهوية ب", "Direction régionale de ", "Regional Directorate of ")

# Documents asked for: (ar, fr, en, code of the ministry that already holds it or None).
DOCUMENTS = (
    (
        "نسخة من بطاقة التعريف الوطنية",
        "copie de la carte d'identité nationale",
        "copy of the national identity card",
        "INT",
    ),
    ("مضمون ولادة", "extrait de naissance", "birth certificate", "INT"),
    ("شهادة إقامة", "certificat de résidence", "certificate of residence", "LOC"),
    ("بطاقة عدد 3", "bulletin numéro 3", "criminal record extract", "INT"),
    ("شهادة في الوضعية الجبائية", "attestation de situation fiscale", "tax clearance certificate", "FIN"),
    (
        "مضمون من السجل الوطني للمؤسسات",
        "extrait du registre national des entreprises",
        "business register extract",
        "JUS",
    ),
    ("شهادة انخراط في الضمان الاجتماعي", "attestation d'affiliation sociale", "social security certificate", "AFS"),
    ("شهادة ملكية", "certificat de propriété", "land title certificate", "DOM"),
    ("شهادة مدرسية", "certificat de scolarité", "school attendance certificate", "EDU"),
    ("نسخة من رخصة السياقة", "copie du permis de conduire", "copy of the driving licence", "TRA"),
    ("صورتان شمسيتان", "deux photos d'identité", "two identity photos", None),
    ("مطلب كتابي", "demande écrite", "written application", None),
    ("وصل خلاص المعلوم", "quittance de paiement", "payment receipt", None),
    ("شهادة طبية", "certificat médical", "medical certificate", None),
    ("عقد كراء", "contrat de location", "lease contract", None),
    ("مثال هندسي", "plan d'architecte", "architect's plan", None),
)

DESCRIPTION = (
    "تمكن هذه الخدمة من {name} لدى {owner}، مع بيان الوثائق المطلوبة والمعاليم وآجال المعالجة.",
    "{name} auprès de : {owner}. La fiche précise les pièces à fournir, les frais et le délai de traitement.",
    "{name} from {owner}. The page lists the documents to provide, the fees and the processing time.",
)
STEPS = (
    "إيداع المطلب مرفقا بالوثائق المطلوبة، ثم دراسة الملف، ثم تسليم {object}.",
    "Déposer la demande avec les pièces exigées ; le dossier est instruit ; {object} est délivré(e).",
    "Submit the application with the required documents; the file is examined; the {object} is issued.",
)
LEGAL_BASIS = (
    "الأمر الحكومي عدد {n} لسنة {year} المتعلق بضبط الإجراءات الإدارية",
    "Décret gouvernemental n° {n} de {year} fixant les procédures administratives",
    "Government decree no. {n} of {year} on administrative procedures",
)

# What people type into the directory: a word, a phrase, a spelling without hamza or with taa marbuta as haa,
# French and English words.
TYPED_QUERIES = (
    "بطاقة التعريف",
    "جواز سفر",
    "رخصه السياقه",
    "مضمون ولاده",
    "شهادة الاقامة",
    "رخصة البناء",
    "منحة",
    "permis de conduire",
    "extrait de naissance",
    "passeport",
    "building permit",
    "tax",
)
