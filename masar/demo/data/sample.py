"""Invented records that make the demo look like a live portfolio. Every one is stored with
is_sample=True and source "sample"; nothing here comes from the documents.

The plan is drawn from random.Random(SEED) against REFERENCE_DATE, then moved to the day it is
loaded: the program's sample projects keep their place relative to that day, so what is due and
how fresh it is stay right as the calendar moves, and loading on the same day builds the same rows.
"""

import datetime
import random
from decimal import Decimal

from masar.demo.data.sources import STRATEGIES

SOURCE = "sample"
SEED = 2025
# The day the sample was drawn against; a load moves the program's sample dates to its own day.
REFERENCE_DATE = datetime.date(2026, 11, 22)
PASSWORD = "masar-demo"

# Sample ministries under TN-GOV: names, 1-3 directorates, and the subjects their administration projects digitize.
MINISTRIES = [
    {
        "code": "TN-SMP-01",
        "name": ("وزارة الداخلية", "Ministère de l'Intérieur", "Ministry of the Interior"),
        "directorates": [
            (
                "الإدارة العامة للشؤون الجهوية",
                "Direction générale des affaires régionales",
                "General Directorate of Regional Affairs",
            ),
            ("إدارة الإعلامية", "Direction de l'informatique", "IT Directorate"),
        ],
        "subjects": [
            ("بطاقة التعريف الوطنية", "carte d'identité nationale", "national identity card"),
            ("جواز السفر", "passeport", "passport"),
            ("الحالة المدنية", "état civil", "civil registry"),
            ("رخص البناء", "permis de bâtir", "building permits"),
        ],
    },
    {
        "code": "TN-SMP-02",
        "name": ("وزارة المالية", "Ministère des Finances", "Ministry of Finance"),
        "directorates": [
            ("الإدارة العامة للأداءات", "Direction générale des impôts", "General Directorate of Taxes"),
            (
                "الإدارة العامة للمحاسبة العمومية والاستخلاص",
                "Direction générale de la comptabilité publique et du recouvrement",
                "General Directorate of Public Accounting and Collection",
            ),
            (
                "مركز الإعلامية لوزارة المالية",
                "Centre informatique du ministère des Finances",
                "Ministry of Finance IT Centre",
            ),
        ],
        "subjects": [
            ("التصريح بالأداءات", "déclarations fiscales", "tax returns"),
            ("الاستخلاص الجبائي", "recouvrement fiscal", "tax collection"),
            ("الديوانة", "douane", "customs"),
            ("الصفقات العمومية", "marchés publics", "public procurement"),
        ],
    },
    {
        "code": "TN-SMP-03",
        "name": ("وزارة الصحة", "Ministère de la Santé", "Ministry of Health"),
        "directorates": [
            ("الإدارة العامة للصحة", "Direction générale de la santé", "General Directorate of Health"),
            (
                "إدارة نظم المعلومات الصحية",
                "Direction des systèmes d'information de santé",
                "Health Information Systems Directorate",
            ),
        ],
        "subjects": [
            ("الملف الطبي", "dossier médical", "medical record"),
            ("المواعيد بالمستشفيات", "rendez-vous hospitaliers", "hospital appointments"),
            ("الأدوية", "médicaments", "medicines"),
            ("التلقيح", "vaccination", "vaccination"),
        ],
    },
    {
        "code": "TN-SMP-04",
        "name": ("وزارة التربية", "Ministère de l'Éducation", "Ministry of Education"),
        "directorates": [
            (
                "مركز الإعلامية لوزارة التربية",
                "Centre informatique du ministère de l'Éducation",
                "Ministry of Education IT Centre",
            ),
        ],
        "subjects": [
            ("التسجيل المدرسي", "inscription scolaire", "school enrolment"),
            ("نتائج الامتحانات", "résultats des examens", "exam results"),
            ("الحياة المدرسية", "vie scolaire", "school life"),
            ("الموارد البشرية للتربية", "ressources humaines de l'éducation", "education human resources"),
        ],
    },
    {
        "code": "TN-SMP-05",
        "name": (
            "وزارة التعليم العالي والبحث العلمي",
            "Ministère de l'Enseignement supérieur et de la Recherche scientifique",
            "Ministry of Higher Education and Scientific Research",
        ),
        "directorates": [
            (
                "الإدارة العامة للشؤون الطلابية",
                "Direction générale des affaires estudiantines",
                "General Directorate of Student Affairs",
            ),
            ("مركز الحساب الخوارزمي", "Centre de calcul El Khawarizmi", "El Khawarizmi Computing Centre"),
        ],
        "subjects": [
            ("التوجيه الجامعي", "orientation universitaire", "university admissions"),
            ("المنح الجامعية", "bourses universitaires", "university grants"),
            ("السكن الجامعي", "logement universitaire", "student housing"),
            ("الشهادات الجامعية", "diplômes universitaires", "university degrees"),
        ],
    },
    {
        "code": "TN-SMP-06",
        "name": ("وزارة العدل", "Ministère de la Justice", "Ministry of Justice"),
        "directorates": [
            ("إدارة المصالح العدلية", "Direction des services judiciaires", "Judicial Services Directorate"),
        ],
        "subjects": [
            ("الملفات القضائية", "dossiers judiciaires", "court files"),
            ("بطاقة السوابق العدلية", "bulletin du casier judiciaire", "criminal record certificate"),
            ("المحاكم", "tribunaux", "courts"),
            ("التبليغ القضائي", "notifications judiciaires", "judicial notices"),
        ],
    },
    {
        "code": "TN-SMP-07",
        "name": ("وزارة الشؤون الاجتماعية", "Ministère des Affaires sociales", "Ministry of Social Affairs"),
        "directorates": [
            (
                "الإدارة العامة للنهوض الاجتماعي",
                "Direction générale de la promotion sociale",
                "General Directorate of Social Promotion",
            ),
            (
                "مركز الإعلامية للشؤون الاجتماعية",
                "Centre informatique des affaires sociales",
                "Social Affairs IT Centre",
            ),
        ],
        "subjects": [
            ("المنح الاجتماعية", "aides sociales", "social grants"),
            ("الضمان الاجتماعي", "sécurité sociale", "social security"),
            ("بطاقة العلاج", "carnet de soins", "health-care card"),
            ("الأشخاص ذوي الإعاقة", "personnes handicapées", "persons with disabilities"),
        ],
    },
    {
        "code": "TN-SMP-08",
        "name": (
            "وزارة التجارة وتنمية الصادرات",
            "Ministère du Commerce et du Développement des exportations",
            "Ministry of Trade and Export Development",
        ),
        "directorates": [
            (
                "الإدارة العامة للتجارة الخارجية",
                "Direction générale du commerce extérieur",
                "General Directorate of Foreign Trade",
            ),
            (
                "الإدارة العامة للمنافسة والأبحاث الاقتصادية",
                "Direction générale de la concurrence et des enquêtes économiques",
                "General Directorate of Competition and Economic Investigations",
            ),
        ],
        "subjects": [
            ("السجل الوطني للمؤسسات", "registre national des entreprises", "national business register"),
            ("التجارة الخارجية", "commerce extérieur", "foreign trade"),
            ("المراقبة الاقتصادية", "contrôle économique", "economic inspection"),
            ("الأسعار", "prix", "prices"),
        ],
    },
    {
        "code": "TN-SMP-09",
        "name": (
            "وزارة الصناعة والمناجم والطاقة",
            "Ministère de l'Industrie, des Mines et de l'Énergie",
            "Ministry of Industry, Mines and Energy",
        ),
        "directorates": [
            (
                "الإدارة العامة للصناعات المعملية",
                "Direction générale des industries manufacturières",
                "General Directorate of Manufacturing Industries",
            ),
            ("الإدارة العامة للطاقة", "Direction générale de l'énergie", "General Directorate of Energy"),
        ],
        "subjects": [
            ("التراخيص الصناعية", "autorisations industrielles", "industrial licences"),
            ("المواصفات والجودة", "normes et qualité", "standards and quality"),
            ("الطاقة", "énergie", "energy"),
            ("المناجم", "mines", "mines"),
        ],
    },
    {
        "code": "TN-SMP-10",
        "name": (
            "وزارة أملاك الدولة والشؤون العقارية",
            "Ministère des Domaines de l'État et des Affaires foncières",
            "Ministry of State Property and Land Affairs",
        ),
        "directorates": [
            (
                "الإدارة العامة للعقارات",
                "Direction générale des affaires foncières",
                "General Directorate of Land Affairs",
            ),
        ],
        "subjects": [
            ("الرسوم العقارية", "titres fonciers", "land titles"),
            ("أملاك الدولة", "domaine de l'État", "state property"),
            ("المسح العقاري", "cadastre", "land survey"),
            ("الاقتناءات العقارية", "acquisitions foncières", "land acquisitions"),
        ],
    },
    {
        "code": "TN-SMP-11",
        "name": ("وزارة النقل", "Ministère du Transport", "Ministry of Transport"),
        "directorates": [
            (
                "الإدارة العامة للنقل البري",
                "Direction générale des transports terrestres",
                "General Directorate of Land Transport",
            ),
            ("إدارة الإعلامية", "Direction de l'informatique", "IT Directorate"),
        ],
        "subjects": [
            ("رخص السياقة", "permis de conduire", "driving licences"),
            ("البطاقات الرمادية", "cartes grises", "vehicle registration"),
            ("الفحص الفني", "visite technique", "vehicle inspection"),
            ("النقل العمومي", "transport public", "public transport"),
        ],
    },
    {
        "code": "TN-SMP-12",
        "name": (
            "وزارة الفلاحة والموارد المائية والصيد البحري",
            "Ministère de l'Agriculture, des Ressources hydrauliques et de la Pêche",
            "Ministry of Agriculture, Water Resources and Fisheries",
        ),
        "directorates": [
            (
                "الإدارة العامة للموارد المائية",
                "Direction générale des ressources en eau",
                "General Directorate of Water Resources",
            ),
            ("الإدارة العامة للصيد البحري", "Direction générale de la pêche", "General Directorate of Fisheries"),
            ("إدارة الإعلامية", "Direction de l'informatique", "IT Directorate"),
        ],
        "subjects": [
            ("المستغلات الفلاحية", "exploitations agricoles", "farm holdings"),
            ("الموارد المائية", "ressources en eau", "water resources"),
            ("الصيد البحري", "pêche", "fisheries"),
            ("الدعم الفلاحي", "aides agricoles", "farm subsidies"),
        ],
    },
    {
        "code": "TN-SMP-13",
        "name": (
            "وزارة التشغيل والتكوين المهني",
            "Ministère de l'Emploi et de la Formation professionnelle",
            "Ministry of Employment and Vocational Training",
        ),
        "directorates": [
            (
                "الإدارة العامة للتكوين المهني",
                "Direction générale de la formation professionnelle",
                "General Directorate of Vocational Training",
            ),
        ],
        "subjects": [
            ("طالبي الشغل", "demandeurs d'emploi", "job seekers"),
            ("التكوين المهني", "formation professionnelle", "vocational training"),
            ("عقود التشغيل", "contrats d'emploi", "employment contracts"),
            ("المبادرة الخاصة", "initiative privée", "private initiative"),
        ],
    },
]

# What TN-MTC's own administration projects digitize.
MTC_SUBJECTS = [
    ("المعرف الوحيد للمواطن", "identifiant unique du citoyen", "unique citizen identifier"),
    ("التراسل الإداري", "correspondance administrative", "administrative correspondence"),
    ("مكتب الضبط", "bureau d'ordre", "registry office"),
    ("الأرشيف الإداري", "archives administratives", "administrative archives"),
]

# Programs of TN-PTN-2526, named after the themes document 003 lists for each axis. Programs of the
# administration axis name their projects from a template and a ministry's subject; the others list theirs.
PTN_PROGRAMS = [
    {
        "axis": 1,
        "name": ("الخدمات عن بعد", "Services à distance", "Remote services"),
        "template": ("رقمنة خدمات {} عن بعد", "Services en ligne : {}", "Online services: {}"),
    },
    {
        "axis": 1,
        "name": ("التفاعل العام", "Interopérabilité", "Interoperability"),
        "template": (
            "ربط منظومة {} بمنصة تبادل البيانات",
            "Raccordement à la plateforme d'échange de données : {}",
            "Connection to the data-exchange platform: {}",
        ),
    },
    {
        "axis": 1,
        "name": ("تسريع أنظمة المعلومات", "Accélération des systèmes d'information", "Faster information systems"),
        "template": (
            "تحديث منظومة معلومات {}",
            "Modernisation du système d'information : {}",
            "Information system modernisation: {}",
        ),
    },
    {
        "axis": 2,
        "name": (
            "الذكاء الاصطناعي والتدريب",
            "Intelligence artificielle et formation",
            "Artificial intelligence and training",
        ),
        "projects": [
            (
                (
                    "المنصة الوطنية للذكاء الاصطناعي",
                    "Plateforme nationale d'intelligence artificielle",
                    "National artificial-intelligence platform",
                ),
                "TN-MTC",
            ),
            (
                (
                    "برنامج تكوين الشباب في الكفاءات الرقمية",
                    "Formation des jeunes aux compétences numériques",
                    "Digital-skills training for young people",
                ),
                "TN-SMP-13",
            ),
            (
                (
                    "أكاديمية الذكاء الاصطناعي للإدارة",
                    "Académie de l'intelligence artificielle pour l'administration",
                    "Artificial-intelligence academy for the administration",
                ),
                "TN-MTC",
            ),
            (
                (
                    "تكوين الأعوان العموميين في التحول الرقمي",
                    "Formation des agents publics à la transformation numérique",
                    "Training civil servants in digital transformation",
                ),
                "TN-MTC",
            ),
            (
                (
                    "مخبر جامعي للبيانات والذكاء الاصطناعي",
                    "Laboratoire universitaire des données et de l'intelligence artificielle",
                    "University data and artificial-intelligence lab",
                ),
                "TN-SMP-05",
            ),
        ],
    },
    {
        "axis": 2,
        "name": ("التجارة الإلكترونية", "Commerce électronique", "E-commerce"),
        "projects": [
            (
                (
                    "المنصة الوطنية للتجارة الإلكترونية",
                    "Plateforme nationale du commerce électronique",
                    "National e-commerce platform",
                ),
                "TN-SMP-08",
            ),
            (
                (
                    "رقمنة إجراءات التصدير",
                    "Dématérialisation des procédures d'exportation",
                    "Paperless export procedures",
                ),
                "TN-SMP-08",
            ),
            (
                (
                    "علامة الثقة للمواقع التجارية",
                    "Label de confiance des sites marchands",
                    "Trust label for online shops",
                ),
                "TN-MTC",
            ),
            (
                (
                    "مرافقة المؤسسات الصغرى في البيع عبر الإنترنت",
                    "Accompagnement des très petites entreprises dans la vente en ligne",
                    "Helping micro-enterprises sell online",
                ),
                "TN-SMP-09",
            ),
        ],
    },
    {
        "axis": 2,
        "name": ("الابتكار وريادة الأعمال", "Innovation et entrepreneuriat", "Innovation and entrepreneurship"),
        "projects": [
            (("برنامج دعم المؤسسات الناشئة", "Programme d'appui aux startups", "Start-up support programme"), "TN-MTC"),
            (
                ("الشباك الموحد للمؤسسات الناشئة", "Guichet unique des startups", "One-stop shop for start-ups"),
                "TN-MTC",
            ),
            (
                ("حاضنات المؤسسات الرقمية بالجهات", "Incubateurs numériques régionaux", "Regional digital incubators"),
                "TN-SMP-09",
            ),
            (("صندوق الابتكار الرقمي", "Fonds d'innovation numérique", "Digital innovation fund"), "TN-SMP-02"),
            (
                (
                    "منصة الشراءات العمومية المبتكرة",
                    "Plateforme des achats publics innovants",
                    "Innovative public procurement platform",
                ),
                "TN-SMP-02",
            ),
        ],
    },
    {
        "axis": 2,
        "name": (
            "الشمول المالي والمدفوعات الإلكترونية",
            "Inclusion financière et paiements électroniques",
            "Financial inclusion and electronic payments",
        ),
        "projects": [
            (
                (
                    "المنصة الوطنية للدفع الإلكتروني للخدمات العمومية",
                    "Plateforme nationale de paiement électronique des services publics",
                    "National e-payment platform for public services",
                ),
                "TN-SMP-02",
            ),
            (
                ("تعميم الدفع عبر الهاتف الجوال", "Généralisation du paiement mobile", "Mobile payment for all"),
                "TN-MTC",
            ),
            (
                (
                    "المحفظة الإلكترونية للمنح الاجتماعية",
                    "Portefeuille électronique des aides sociales",
                    "E-wallet for social grants",
                ),
                "TN-SMP-07",
            ),
            (("الفوترة الإلكترونية", "Facturation électronique", "E-invoicing"), "TN-SMP-02"),
        ],
    },
    {
        "axis": 3,
        "name": ("أمن الأنظمة", "Sécurité des systèmes", "Security of systems"),
        "projects": [
            (
                (
                    "المركز الوطني لعمليات الأمن السيبراني",
                    "Centre national des opérations de cybersécurité",
                    "National cybersecurity operations centre",
                ),
                "TN-MTC",
            ),
            (
                (
                    "التدقيق الدوري للسلامة المعلوماتية للمنظومات الحساسة",
                    "Audit périodique de la sécurité des systèmes sensibles",
                    "Regular security audits of sensitive systems",
                ),
                "TN-MTC",
            ),
            (
                (
                    "الاستجابة للحوادث السيبرانية بالقطاع الصحي",
                    "Réponse aux incidents cyber du secteur de la santé",
                    "Cyber-incident response for the health sector",
                ),
                "TN-SMP-03",
            ),
            (
                (
                    "تأمين الشبكة الإدارية المندمجة",
                    "Sécurisation du réseau administratif intégré",
                    "Securing the integrated administrative network",
                ),
                "TN-MTC",
            ),
            (
                (
                    "خطة استمرارية النشاط للمنظومات المالية",
                    "Plan de continuité d'activité des systèmes financiers",
                    "Business continuity plan for financial systems",
                ),
                "TN-SMP-02",
            ),
            (
                (
                    "الحماية السيبرانية للبنى التحتية الحيوية",
                    "Cyberprotection des infrastructures critiques",
                    "Cyber protection of critical infrastructure",
                ),
                "TN-MTC",
            ),
            (
                (
                    "تأمين منظومات الحالة المدنية",
                    "Sécurisation des systèmes de l'état civil",
                    "Securing civil-registry systems",
                ),
                "TN-SMP-01",
            ),
        ],
    },
    {
        "axis": 3,
        "name": ("الثقة الرقمية", "Confiance numérique", "Digital trust"),
        "projects": [
            (("الهوية الرقمية للمواطن", "Identité numérique du citoyen", "Citizen digital identity"), "TN-MTC"),
            (
                (
                    "تعميم الإمضاء الإلكتروني في الإدارة",
                    "Généralisation de la signature électronique dans l'administration",
                    "Electronic signature across the administration",
                ),
                "TN-MTC",
            ),
            (
                (
                    "الختم الزمني والمصادقة الإلكترونية",
                    "Horodatage et certification électroniques",
                    "Electronic time-stamping and certification",
                ),
                "TN-MTC",
            ),
            (
                (
                    "حماية المعطيات الشخصية في الخدمات الرقمية",
                    "Protection des données personnelles dans les services numériques",
                    "Personal-data protection in digital services",
                ),
                "TN-SMP-06",
            ),
            (
                (
                    "التوعية بالسلامة المعلوماتية",
                    "Sensibilisation à la sécurité informatique",
                    "Cybersecurity awareness",
                ),
                "TN-MTC",
            ),
        ],
    },
    {
        "axis": 4,
        "name": (
            "تغطية شبكات الاتصالات",
            "Couverture des réseaux de télécommunications",
            "Telecommunication network coverage",
        ),
        "projects": [
            (
                (
                    "تغطية المناطق البيضاء بشبكات الهاتف الجوال",
                    "Couverture des zones blanches par les réseaux mobiles",
                    "Mobile coverage of white zones",
                ),
                "TN-MTC",
            ),
            (
                (
                    "الألياف البصرية للمؤسسات التربوية",
                    "Fibre optique pour les établissements scolaires",
                    "Optical fibre for schools",
                ),
                "TN-SMP-04",
            ),
            (
                (
                    "ربط المستشفيات الجهوية بالإنترنت عالي التدفق",
                    "Raccordement des hôpitaux régionaux au haut débit",
                    "Broadband for regional hospitals",
                ),
                "TN-SMP-03",
            ),
            (
                (
                    "الجيل الخامس للاتصالات المتنقلة",
                    "Cinquième génération des communications mobiles",
                    "5G mobile communications",
                ),
                "TN-MTC",
            ),
            (("شبكة النفاذ الريفي عالي التدفق", "Réseau rural à haut débit", "Rural broadband network"), "TN-MTC"),
        ],
    },
    {
        "axis": 4,
        "name": (
            "تحديث البنية التحتية الإدارية",
            "Modernisation de l'infrastructure administrative",
            "Modernising the administrative infrastructure",
        ),
        "projects": [
            (
                (
                    "مركز البيانات الحكومي الوطني",
                    "Centre national de données gouvernemental",
                    "National government data centre",
                ),
                "TN-MTC",
            ),
            (("السحابة الحكومية", "Cloud gouvernemental", "Government cloud"), "TN-MTC"),
            (
                (
                    "تحديث الشبكة الإدارية المندمجة",
                    "Modernisation du réseau administratif intégré",
                    "Upgrading the integrated administrative network",
                ),
                "TN-MTC",
            ),
            (
                (
                    "تجهيز البلديات بالبنية التحتية الرقمية",
                    "Équipement numérique des communes",
                    "Digital infrastructure for municipalities",
                ),
                "TN-SMP-01",
            ),
        ],
    },
]

# Sample projects of STR-004 (owner GOV-004): (axis order, phase order, name). Project n sits in "Program n".
STR_004_PROJECTS = [
    (
        1,
        1,
        (
            "بوابة الخدمات الحكومية الإلكترونية",
            "Portail des services gouvernementaux électroniques",
            "E-government services portal",
        ),
    ),
    (
        1,
        2,
        (
            "الدفع الإلكتروني للرسوم الحكومية",
            "Paiement électronique des redevances publiques",
            "Electronic payment of government fees",
        ),
    ),
    (
        1,
        2,
        (
            "خدمات السجل المدني الإلكترونية",
            "Services électroniques de l'état civil",
            "Electronic civil-registry services",
        ),
    ),
    (
        1,
        3,
        (
            "تطبيق الخدمات الحكومية على الهاتف المحمول",
            "Application mobile des services gouvernementaux",
            "Government services mobile app",
        ),
    ),
    (
        2,
        1,
        (
            "نظام إدارة الوثائق والمراسلات الحكومية",
            "Gestion électronique des documents et du courrier gouvernementaux",
            "Government document and correspondence management",
        ),
    ),
    (
        2,
        2,
        (
            "نظام إدارة الموارد البشرية الحكومية",
            "Système de gestion des ressources humaines de l'État",
            "Government human-resources system",
        ),
    ),
    (
        2,
        2,
        (
            "نظام الموازنة والمحاسبة الحكومية",
            "Système budgétaire et comptable de l'État",
            "Government budget and accounting system",
        ),
    ),
    (
        2,
        3,
        (
            "لوحة متابعة الأداء الحكومي",
            "Tableau de bord de la performance gouvernementale",
            "Government performance dashboard",
        ),
    ),
    (3, 1, ("مركز البيانات الحكومي", "Centre de données gouvernemental", "Government data centre")),
    (
        3,
        1,
        (
            "الإطار التشريعي للتعاملات الإلكترونية",
            "Cadre législatif des transactions électroniques",
            "Legal framework for electronic transactions",
        ),
    ),
    (
        3,
        2,
        (
            "منصة التشغيل البيني الحكومية",
            "Plateforme d'interopérabilité gouvernementale",
            "Government interoperability platform",
        ),
    ),
    (
        3,
        2,
        (
            "برنامج تأهيل الكوادر الرقمية",
            "Programme de qualification des cadres numériques",
            "Digital staff qualification programme",
        ),
    ),
]

# Milestones in the order a public IT project passes them; each project takes the first and last and 1-3 between.
MILESTONES = [
    ("إعداد كراس الشروط", "Rédaction du cahier des charges", "Terms of reference drafted"),
    ("إطلاق طلب العروض", "Lancement de l'appel d'offres", "Call for tenders launched"),
    ("إسناد الصفقة", "Attribution du marché", "Contract awarded"),
    ("التطوير والتركيز", "Développement et déploiement", "Development and deployment"),
    ("التجربة النموذجية", "Phase pilote", "Pilot"),
    ("الاستلام الوقتي", "Réception provisoire", "Provisional acceptance"),
    ("الإطلاق الرسمي", "Mise en service", "Go-live"),
]

DESCRIPTION = (
    "مشروع عيّنة (بيانات توضيحية لا ترد في الوثائق) ضمن برنامج «{program}» من محور «{axis}».",
    "Projet fictif (données de démonstration absentes des documents) du programme « {program} », axe « {axis} ».",
    "Sample project (demonstration data, not from the documents) in the programme “{program}”, axis “{axis}”.",
)

# Demo sign-ins: (username, role, organization code, is_staff and is_superuser).
USERS = [
    ("admin", "national_admin", "TN-PM", True),
    ("analyst", "national_admin", "TN-PM", False),
    ("coord.mtc", "sector_coordinator", "TN-MTC", False),
    ("coord.finance", "sector_coordinator", "TN-SMP-02", False),
    ("pm.mtc", "project_manager", "TN-MTC", False),
    ("pm.finance", "project_manager", "TN-SMP-02", False),
    ("viewer", "viewer", "TN-MTC", False),
    ("inspector", "inspector", "TN-PM", False),
]
# How many projects of its organization each project manager manages (the first ones by code).
MANAGED = {"pm.mtc": ("TN-MTC", 10), "pm.finance": ("TN-SMP-02", 5)}

# Budget range in TND per axis of TN-PTN-2526.
BUDGETS = {1: (150_000, 3_000_000), 2: (200_000, 5_000_000), 3: (300_000, 4_000_000), 4: (1_000_000, 30_000_000)}
GOVERNORATES = [
    "TN-11",
    "TN-12",
    "TN-13",
    "TN-14",
    "TN-21",
    "TN-22",
    "TN-23",
    "TN-31",
    "TN-32",
    "TN-33",
    "TN-34",
    "TN-41",
    "TN-42",
    "TN-43",
    "TN-51",
    "TN-52",
    "TN-53",
    "TN-61",
    "TN-71",
    "TN-72",
    "TN-73",
    "TN-81",
    "TN-82",
    "TN-83",
]
DAY = datetime.timedelta(days=1)


def _classification(rng, axis):
    """Return public: the council announced the program's 138 projects in public (seed 003).

    The draw is kept so that the rest of the sample stays the same; the demo's restricted and
    confidential projects are among the sample projects of STR-004 (see STR_004_CLASSIFICATION).
    """
    rng.random()
    return "public"


# Sample projects of STR-004 (by number) that are not public, so the demo shows who sees what.
STR_004_CLASSIFICATION = {3: "restricted", 5: "confidential", 7: "restricted", 10: "confidential", 11: "restricted"}


def _funding(rng):
    r = rng.random()
    return "state_budget" if r < 0.7 else "donor" if r < 0.9 else "ppp"


def _status(rng, start, end, today):
    r = rng.random()
    if end <= today:
        # The longer ago a project was due, the likelier it was finished.
        done = 0.9 if (today - end).days > 365 else 0.5
        return "completed" if r < done else "in_progress" if r < 0.93 else "suspended"
    if start > today:
        return "planned"
    return "in_progress" if r < 0.84 else "planned" if r < 0.94 else "suspended"


def _milestones(rng, start, end, status, today):
    """Return 3-5 milestones spread from start to end, with actual dates only up to today.

    Every planned date lies within the project's planned start and end; the last milestone
    (go-live) falls on the planned end.
    """
    count = rng.randint(3, 5)
    picks = [0, *sorted(rng.sample(range(1, len(MILESTONES) - 1), count - 2)), len(MILESTONES) - 1]
    span = (end - start).days
    rows, reached = [], status != "planned"
    for n, pick in enumerate(picks, start=1):
        planned = min(max(start + datetime.timedelta(days=round(span * n / count)), start), end)
        actual = None
        if reached and planned <= today:
            if status == "completed":
                actual = planned + rng.randint(-10, 14) * DAY
            elif rng.random() < 0.95:
                # Most milestones land within two weeks of plan; a few slip badly.
                actual = planned + (rng.randint(35, 100) if rng.random() < 0.12 else rng.randint(-5, 12)) * DAY
            else:
                reached = False  # a milestone not reached holds up the ones after it
            if actual is not None:
                actual = min(actual, today)
        else:
            reached = False
        name_ar, name_fr, name_en = MILESTONES[pick]
        rows.append(
            {
                "order": n,
                "name_ar": name_ar,
                "name_fr": name_fr,
                "name_en": name_en,
                "planned_date": planned,
                "actual_date": actual,
            }
        )
    return rows


def _ptn_dates(rng):
    start = datetime.date(2025, 1, 1) + rng.randint(0, 455) * DAY
    end = start + rng.randint(270, 720) * DAY
    if rng.random() < 0.06:
        end = datetime.date(2027, rng.randint(1, 6), 15)  # a few overrun into 2027
    else:
        end = max(min(end, datetime.date(2026, 12, 31)), start + 120 * DAY)
    return start, end


def portfolio_plan(today=REFERENCE_DATE):
    """Return the sample projects of TN-PTN-2526 and STR-004 as data naming their owner, axis and program.

    The program's projects are placed relative to today (as they were to REFERENCE_DATE); the
    projects of STR-004 stay within the phases of the document, their progress judged on today.
    """
    rng = random.Random(SEED)
    shift = today - REFERENCE_DATE
    owners = ["TN-MTC"] + [m["code"] for m in MINISTRIES]
    subjects = {"TN-MTC": MTC_SUBJECTS} | {m["code"]: m["subjects"] for m in MINISTRIES}
    program_2526 = next(s for s in STRATEGIES if s["code"] == "TN-PTN-2526")
    axis_names = {a["order"]: (a["name_ar"], a["name_fr"], a["name_en"]) for a in program_2526["axes"]}

    # (program order, axis, name triple, owner) for the 138 projects, axis by axis.
    drafts = []
    administration = [(p, o, s) for p in range(3) for o in range(len(owners)) for s in range(4)]
    rng.shuffle(administration)
    for p, o, s in sorted(administration[:99]):
        template = PTN_PROGRAMS[p]["template"]
        subject = subjects[owners[o]][s]
        drafts.append((p + 1, 1, tuple(t.format(x) for t, x in zip(template, subject, strict=True)), owners[o]))
    for order, program in enumerate(PTN_PROGRAMS, start=1):
        for name, owner in program.get("projects", []):
            drafts.append((order, program["axis"], name, owner))

    projects, numbers = [], {1: 0, 2: 0, 3: 0, 4: 0}
    for program_order, axis, name, owner in drafts:
        numbers[axis] += 1
        start, end = (day + shift for day in _ptn_dates(rng))
        status = _status(rng, start, end, today)
        low, high = BUDGETS[axis]
        program_name = PTN_PROGRAMS[program_order - 1]["name"]
        others = [o for o in owners if o != owner]
        projects.append(
            {
                "code": f"PTN-A{axis}-{numbers[axis]:03d}",
                "strategy": "TN-PTN-2526",
                "axis": axis,
                "program": program_order,
                "phase": None,
                "owner": owner,
                "name_ar": name[0],
                "name_fr": name[1],
                "name_en": name[2],
                "description_ar": DESCRIPTION[0].format(program=program_name[0], axis=axis_names[axis][0]),
                "description_fr": DESCRIPTION[1].format(program=program_name[1], axis=axis_names[axis][1]),
                "description_en": DESCRIPTION[2].format(program=program_name[2], axis=axis_names[axis][2]),
                "planned_start": start,
                "planned_end": end,
                "planned_budget": Decimal(rng.randint(low // 1000, high // 1000) * 1000),
                "currency": "TND",
                "funding_kind": _funding(rng),
                "status": status,
                "classification": _classification(rng, axis),
                "regions": sorted(rng.sample(GOVERNORATES, rng.choice([1, 1, 1, 2, 2, 3] if axis != 4 else [2, 3, 3]))),
                "partners": sorted(rng.sample(others, rng.choice([0, 0, 1, 1, 2]))),
                "milestones": _milestones(rng, start, end, status, today),
            }
        )

    phase_windows = {
        1: (datetime.date(2021, 2, 1), datetime.date(2023, 12, 31)),
        2: (datetime.date(2023, 2, 1), datetime.date(2027, 12, 31)),
        3: (datetime.date(2027, 2, 1), datetime.date(2030, 12, 31)),
    }
    for n, (axis, phase, name) in enumerate(STR_004_PROJECTS, start=1):
        window_start, window_end = phase_windows[phase]
        start = window_start + rng.randint(0, 300) * DAY
        end = min(start + rng.randint(540, 1100) * DAY, window_end)
        status = _status(rng, start, end, today)
        projects.append(
            {
                "code": f"S004-{n:03d}",
                "strategy": "STR-004",
                "axis": axis,
                "program": n,
                "phase": phase,
                "owner": "GOV-004",
                "name_ar": name[0],
                "name_fr": name[1],
                "name_en": name[2],
                "description_ar": f"مشروع عيّنة (بيانات توضيحية لا ترد في الوثيقة) ضمن «البرنامج {n}».",
                "description_fr": f"Projet fictif (données de démonstration hors document) du « Programme {n} ».",
                "description_en": f"Sample project (demonstration data, not from the document) in “Program {n}”.",
                "planned_start": start,
                "planned_end": end,
                # Document 004 names no country, so no currency: the sample budget stays empty.
                "planned_budget": None,
                "currency": "TND",
                "funding_kind": _funding(rng),
                "status": status,
                "classification": STR_004_CLASSIFICATION.get(n, "public"),
                "regions": [],
                "partners": [],
                "milestones": _milestones(rng, start, end, status, today),
            }
        )

    for username, (owner, count) in MANAGED.items():
        for project in [p for p in projects if p["owner"] == owner and p["strategy"] == "TN-PTN-2526"][:count]:
            project["manager"] = username
    return projects
