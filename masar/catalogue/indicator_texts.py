"""The words of the digitization indicators, in Arabic, French and English: stored with each indicator created
(`masar.catalogue.indicators`), as the names people give indicators are."""

L3, L4, ONLINE = "L3", "L4", "ONLINE"

# Names in Arabic, French and English; {ministry} is the ministry's name in the same language.
NAMES = {
    L3: (
        "نسبة الخدمات المعالجة والمدفوعة عبر الخط (المستوى 3 فما فوق) — {ministry}",
        "Part des services traités et payés en ligne (niveau 3 et plus) — {ministry}",
        "Share of services processed and paid online (level 3 or higher) — {ministry}",
    ),
    L4: (
        "نسبة الخدمات الرقمية بالكامل (المستوى 4 فما فوق) — {ministry}",
        "Part des services entièrement en ligne (niveau 4 et plus) — {ministry}",
        "Share of fully online services (level 4 or higher) — {ministry}",
    ),
    ONLINE: (
        "نسبة المعاملات المنجزة عبر الخط — {ministry}",
        "Part des démarches effectuées en ligne — {ministry}",
        "Share of transactions made online — {ministry}",
    ),
}
DATA_SOURCE = (
    "دليل الخدمات الإدارية في مسار (محسوب آليًا)",
    "Catalogue des services de Masar (calculé automatiquement)",
    "Masar's services catalogue (computed automatically)",
)
COMPUTED = (
    "تُحسب القيم آليًا من دليل الخدمات ولا تُدخل يدويًا. ",
    "Les valeurs sont calculées automatiquement à partir du catalogue des services ; personne ne les saisit. ",
    "The values are computed from the services catalogue; nobody enters them. ",
)
METHODS = {
    L3: (
        "عدد الخدمات العمومية للوزارة وهياكلها في المستوى 3 فما فوق مقسومًا على عدد خدماتها العمومية، "
        "لكل شهر، ويُعاد حسابه عند كل إضافة لخدمة أو تغيير لها.",
        "Nombre de services publics du ministère et de ses structures au niveau 3 ou plus, divisé par le nombre "
        "de ses services publics, pour le mois en cours ; recalculé à chaque création ou modification d'un service.",
        "Public services of the ministry and its bodies at level 3 or higher, divided by all its public services, "
        "for the current month; recomputed whenever a service is created or changed.",
    ),
    L4: (
        "عدد الخدمات العمومية للوزارة وهياكلها في المستوى 4 فما فوق مقسومًا على عدد خدماتها العمومية، "
        "لكل شهر، ويُعاد حسابه عند كل إضافة لخدمة أو تغيير لها.",
        "Nombre de services publics du ministère et de ses structures au niveau 4 ou plus, divisé par le nombre "
        "de ses services publics, pour le mois en cours ; recalculé à chaque création ou modification d'un service.",
        "Public services of the ministry and its bodies at level 4 or higher, divided by all its public services, "
        "for the current month; recomputed whenever a service is created or changed.",
    ),
    ONLINE: (
        "المعاملات المنجزة عبر الواب والهاتف الجوال والأكشاك مقسومة على جميع معاملات الشهر لخدمات الوزارة "
        "العمومية، ويُعاد حسابها عند كل تغيير لاستعمال الشهر. الشهر الذي لا معاملات فيه لا قيمة له.",
        "Démarches effectuées sur le web, le mobile et les bornes, divisées par toutes les démarches du mois sur "
        "les services publics du ministère ; recalculé à chaque changement de l'usage du mois. Un mois sans "
        "démarche n'a pas de valeur.",
        "Transactions made on the web, mobile and kiosks, divided by all the month's transactions of the "
        "ministry's public services; recomputed whenever the month's usage changes. A month without transactions "
        "has no value.",
    ),
}
