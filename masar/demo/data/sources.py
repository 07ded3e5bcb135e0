"""What the source documents (shared/seeds/000…004) say, as data for the demo.

The Arabic is copied from the documents exactly as written, tatweel, missing letters and all
(e.g. "الاصال", "التحول الرقي", "الوارد البشرية"): a record quotes its source, it does not
correct it. The French and English are translations made for the demo. Nothing here is
invented: sample records live in `masar.demo.data.sample`.
"""

import datetime

# Organizations in creation order (parents first), each with its missions as (ar, fr, en) in the text's order.
ORGANIZATIONS = [
    {
        "code": "TN-GOV",
        "parent": None,
        "kind": "government",
        "order": 1,
        "name_ar": "الحكومة التونسية",
        "name_fr": "Gouvernement tunisien",
        "name_en": "Government of Tunisia",
        "source": "seed 000; seed 003",
        "missions": [],
    },
    {
        "code": "TN-PM",
        "parent": "TN-GOV",
        "kind": "body",
        "order": 1,
        "name_ar": "رئاسة الحكومة",
        "name_fr": "Présidence du gouvernement",
        "name_en": "Presidency of the Government",
        "source": "seed 003",
        "missions": [],
    },
    {
        "code": "TN-MTC",
        "parent": "TN-GOV",
        "kind": "ministry",
        "order": 2,
        "name_ar": "وزارة تكنولوجيات الاتصال",
        "name_fr": "Ministère des Technologies de la communication",
        "name_en": "Ministry of Communication Technologies",
        "source": "seed 000",
        "missions": [
            (
                (
                    "تتولى وزارة تكنولوجيات الاتصال إقتراح السياسة العامة في مجال تكنولوجيا المعلومات "
                    "والإتصال والسهر على تنفيذها بهدف مزيد دعم دور القطاع في التنمية الإقتصادية "
                    "والإجتماعية."
                ),
                (
                    "Le ministère des Technologies de la communication propose la politique générale "
                    "dans le domaine des technologies de l'information et de la communication et veille "
                    "à sa mise en œuvre, afin de renforcer davantage le rôle du secteur dans le "
                    "développement économique et social."
                ),
                (
                    "The Ministry of Communication Technologies proposes the general policy on "
                    "information and communication technologies and oversees its implementation, in "
                    "order to further strengthen the sector's role in economic and social development."
                ),
            ),
            (
                "وضع الإستراتيجية الوطنية للقطاع والسهر على متابعة تنفيذها،",
                "Élaborer la stratégie nationale du secteur et veiller au suivi de sa mise en œuvre ;",
                "Set the sector's national strategy and oversee the follow-up of its implementation;",
            ),
            (
                "وضع البرامج والإجراءات الرامية إلى تنمية قطاع تكنولوجيا المعلومات والإتصال ودعمه.",
                (
                    "Élaborer les programmes et les mesures visant à développer et à soutenir le secteur "
                    "des technologies de l'information et de la communication."
                ),
                (
                    "Set the programmes and measures aimed at developing and supporting the information "
                    "and communication technology sector."
                ),
            ),
            (
                "تتولى وزارة تكنولوجيات الاصال وضع الإستراتيجية الوطنية للقطاع والسهـر على متابعة تـنفـيذها وذلك بـ",
                (
                    "Le ministère des Technologies de la communication élabore la stratégie nationale du "
                    "secteur et veille au suivi de sa mise en œuvre, en :"
                ),
                (
                    "The Ministry of Communication Technologies sets the sector's national strategy and "
                    "oversees the follow-up of its implementation by:"
                ),
            ),
            (
                (
                    "رصد التطـورات في مجال تكنـولوجيات المعلومات والإتـصال وإعداد الخطط الملائمة بهدف "
                    "تأمـين اليقظـة التكـنولوجية ومواكـبة التحولات وإستغلال الفرص التي تـتيحـها، وذلك من "
                    "قبل مختلف الأطراف المعنية ،"
                ),
                (
                    "observant les évolutions dans le domaine des technologies de l'information et de la "
                    "communication et en préparant les plans appropriés afin d'assurer la veille "
                    "technologique, d'accompagner les mutations et d'exploiter les opportunités qu'elles "
                    "offrent, par les différentes parties concernées ;"
                ),
                (
                    "monitoring developments in information and communication technologies and preparing "
                    "suitable plans to ensure technology watch, keep pace with change and seize the "
                    "opportunities it offers, by the various parties concerned;"
                ),
            ),
            (
                (
                    "تحديد الخيارات الكبـرى والتوجـهات المرحلية الكفـيلة بإنـجاز سـياسـة الـدولة في "
                    "المجال ومـتابعتها طبقا للمـؤشـرات والمعايير والمواصفات التي يتــم وضعها في الغـرض،"
                ),
                (
                    "définissant les grands choix et les orientations par étapes propres à réaliser la "
                    "politique de l'État dans ce domaine, et en assurant leur suivi selon les "
                    "indicateurs, normes et spécifications établis à cet effet ;"
                ),
                (
                    "defining the major choices and phased orientations that will deliver the State's "
                    "policy in the field, and following them up against the indicators, standards and "
                    "specifications set for that purpose;"
                ),
            ),
            (
                "العــمل على تأمين سلامة المـنظومات والشبـكات والمعـلومات والفضاء السيبرني،",
                "œuvrant à assurer la sécurité des systèmes, des réseaux, des informations et du cyberespace ;",
                "working to secure systems, networks, information and cyberspace;",
            ),
            (
                (
                    "ضبـط البرامـج والمشاريع التي يتعين إنجازها في إطار المخطـطات التنموية الإقتصادية "
                    "والإجتمـاعـية وإقتراح التدابير المصاحـبة لها،"
                ),
                (
                    "arrêtant les programmes et les projets à réaliser dans le cadre des plans de "
                    "développement économique et social et en proposant les mesures d'accompagnement ;"
                ),
                (
                    "setting the programmes and projects to be carried out within the economic and "
                    "social development plans and proposing the accompanying measures;"
                ),
            ),
            (
                "السهـر على إستمـرارية الخدمات ذات العلاقـة بتكنولوجـيا المعلومات والإتصال وضـمان جودتها.",
                (
                    "veillant à la continuité des services liés aux technologies de l'information et de "
                    "la communication et en garantissant leur qualité."
                ),
                (
                    "ensuring the continuity of information and communication technology services and "
                    "guaranteeing their quality."
                ),
            ),
            (
                "تعمل وزارة تكنولوجيات الاتصال على وضع البرامج والإجراءات الرامية إلى تنمية القطاع ودعمه وذلك بـ :",
                (
                    "Le ministère des Technologies de la communication élabore les programmes et les "
                    "mesures visant à développer et à soutenir le secteur, en :"
                ),
                (
                    "The Ministry of Communication Technologies sets the programmes and measures aimed "
                    "at developing and supporting the sector by:"
                ),
            ),
            (
                (
                    "توفير المحيط الملائم لتحفيز الإستثمار في المجال وتطوير الكفاءات والخبرات والتشجيع "
                    "على إستعمال تكنولوجيات المعلومات والإتصال،"
                ),
                (
                    "offrant un environnement propice pour stimuler l'investissement dans le domaine, "
                    "développer les compétences et l'expertise et encourager l'usage des technologies de "
                    "l'information et de la communication ;"
                ),
                (
                    "providing an environment that stimulates investment in the field, develops skills "
                    "and expertise and encourages the use of information and communication technologies;"
                ),
            ),
            (
                (
                    "إعداد وإقتراح مشاريع النصوص القانونية المنظمة للقـطاع والعمل على ملاءمته للتطورات "
                    "الإقتصادية والتكـنولوجية والسهر على تطبيـقـه،"
                ),
                (
                    "préparant et proposant les projets de textes juridiques régissant le secteur, en "
                    "œuvrant à son adaptation aux évolutions économiques et technologiques et en "
                    "veillant à leur application ;"
                ),
                (
                    "preparing and proposing draft legal texts governing the sector, working to keep it "
                    "in step with economic and technological developments and overseeing their "
                    "application;"
                ),
            ),
            (
                "تطوير البنية التحتية المعلوماتية والإتصالية بالتنسيق مع الأطراف المعنية وضمان جودتها،",
                (
                    "développant l'infrastructure informatique et de communication en coordination avec "
                    "les parties concernées et en garantissant sa qualité ;"
                ),
                (
                    "developing the computing and communication infrastructure in coordination with the "
                    "parties concerned and guaranteeing its quality;"
                ),
            ),
            (
                "تعزيز إعتماد التكنولوجيا الرقمية وإستخدامها وتمتـين الثقـة في التعاملات الإفتراضية،",
                (
                    "favorisant l'adoption et l'usage des technologies numériques et en renforçant la "
                    "confiance dans les transactions virtuelles ;"
                ),
                (
                    "promoting the adoption and use of digital technology and strengthening trust in "
                    "online transactions;"
                ),
            ),
            (
                (
                    "التصرّف في الموارد الوطنـية في مجال تكنولوجيات المعـلومات والإتصال وتثميـنها والسهر "
                    "على حسن توزيعها وإستغلالها."
                ),
                (
                    "gérant et valorisant les ressources nationales dans le domaine des technologies de "
                    "l'information et de la communication et en veillant à leur bonne répartition et à "
                    "leur bonne exploitation."
                ),
                (
                    "managing and making the most of the national resources in information and "
                    "communication technologies and overseeing their proper allocation and use."
                ),
            ),
            (
                (
                    "تسهر وزارة تكنولوجيات الاتصال على تطـوير برامج التعاون الدولي ودعم العلاقات مع "
                    "الهـيئات الدولية والإقـليمية التي تعنى بالمسائل المندرجة ضمن مشمولاتها."
                ),
                (
                    "Le ministère des Technologies de la communication veille au développement des "
                    "programmes de coopération internationale et au renforcement des relations avec les "
                    "organismes internationaux et régionaux chargés des questions relevant de ses "
                    "attributions."
                ),
                (
                    "The Ministry of Communication Technologies develops international cooperation "
                    "programmes and strengthens relations with the international and regional bodies "
                    "concerned with matters within its remit."
                ),
            ),
            (
                (
                    "تكلف وزارة تكنولوجيات الاتصال بالإشراف على الهياكل والمنشآت والمؤسسات العمومية "
                    "الراجعة لها بالنظر طبقا للتشريع والتراتيب الجاري بها العمل."
                ),
                (
                    "Le ministère des Technologies de la communication est chargé de la tutelle des "
                    "structures, entreprises et établissements publics qui en relèvent, conformément à "
                    "la législation et à la réglementation en vigueur."
                ),
                (
                    "The Ministry of Communication Technologies supervises the structures, enterprises "
                    "and public bodies under its authority, in accordance with the laws and regulations "
                    "in force."
                ),
            ),
        ],
    },
    {
        "code": "MA-GOV",
        "parent": None,
        "kind": "government",
        "order": 2,
        "name_ar": "الحكومة المغربية",
        "name_fr": "Gouvernement marocain",
        "name_en": "Government of Morocco",
        "source": "seed 001",
        "missions": [],
    },
    {
        "code": "MA-COM",
        "parent": "MA-GOV",
        "kind": "ministry",
        "order": 1,
        "name_ar": "قطاع التواصل",
        "name_fr": "Secteur de la communication",
        "name_en": "Communication Sector",
        "source": "seed 001",
        "missions": [
            (
                (
                    "تناط بقطاع التواصل، مع مراعاة الاختصاصات المسندة إلى القطاعات الوزارية والمؤسسات "
                    "والهيئات المعنية بموجب النصوص التشريعية والتنظيمية الجاري بها العمل، مهمة إعداد "
                    "السياسة الحكومية في مجالات التواصل العمومي والصحافة والاتصال السمعي البصري والسينما "
                    "وصناعة الألعاب الإلكترونية والإشهار وحقوق المؤلفين والحقوق المجاورة والسهر على "
                    "تنفيذها."
                ),
                (
                    "Le secteur de la communication est chargé, sous réserve des attributions dévolues "
                    "aux départements ministériels, établissements et organismes concernés par les "
                    "textes législatifs et réglementaires en vigueur, d'élaborer la politique "
                    "gouvernementale dans les domaines de la communication publique, de la presse, de la "
                    "communication audiovisuelle, du cinéma, de l'industrie du jeu vidéo, de la "
                    "publicité, des droits d'auteur et des droits voisins, et de veiller à sa mise en "
                    "œuvre."
                ),
                (
                    "The communication sector is entrusted, subject to the powers assigned to the "
                    "ministerial departments, institutions and bodies concerned by the laws and "
                    "regulations in force, with preparing the government's policy on public "
                    "communication, the press, audiovisual communication, cinema, the video-game "
                    "industry, advertising, copyright and related rights, and with overseeing its "
                    "implementation."
                ),
            ),
            (
                (
                    "بلورة السياسات العمومية والاستراتيجيات الكفيلة بتأهيل وتطوير مجالات اختصاص القطاع "
                    "المشار إليها في الفقرة الأولى أعلاه، على المستويين الوطني والترابي؛"
                ),
                (
                    "Concevoir les politiques publiques et les stratégies propres à mettre à niveau et à "
                    "développer les domaines de compétence du secteur mentionnés au premier alinéa "
                    "ci-dessus, aux niveaux national et territorial ;"
                ),
                (
                    "Shape the public policies and strategies that will upgrade and develop the sector's "
                    "fields of competence named in the first paragraph above, at national and "
                    "territorial level;"
                ),
            ),
            (
                "إعداد مخططات لتطوير مجال صناعة الألعاب الإلكترونية؛",
                "Élaborer des plans de développement de l'industrie du jeu vidéo ;",
                "Prepare plans to develop the video-game industry;",
            ),
            (
                "إعداد، لحساب الحكومة، دفاتر التحملات الخاصة بالشركات الوطنية للاتصال السمعي البصري العمومي؛",
                (
                    "Élaborer, pour le compte du gouvernement, les cahiers des charges des sociétés "
                    "nationales de l'audiovisuel public ;"
                ),
                (
                    "Prepare, on the government's behalf, the terms of reference of the national public "
                    "audiovisual companies;"
                ),
            ),
            (
                "الإسهام في إعداد عقود البرامج المبرمة بين الدولة والقطب السمعي البصري العمومي؛",
                (
                    "Contribuer à l'élaboration des contrats-programmes conclus entre l'État et le pôle "
                    "audiovisuel public ;"
                ),
                ("Contribute to preparing the programme contracts between the State and the public audiovisual group;"),
            ),
            (
                (
                    "تدبير الإجراءات المتعلقة بمنح الدعم العمومي لقطاعات الصحافة والنشر والطباعة "
                    "والتوزيع، وفق النصوص الجاري بها العمل؛"
                ),
                (
                    "Gérer les procédures d'octroi du soutien public aux secteurs de la presse, de "
                    "l'édition, de l'impression et de la distribution, conformément aux textes en "
                    "vigueur ;"
                ),
                (
                    "Manage the procedures for granting public support to the press, publishing, "
                    "printing and distribution sectors, in accordance with the texts in force;"
                ),
            ),
            (
                "السهر على حسن ترويج الصورة المؤسساتية للمغرب؛",
                "Veiller à la bonne promotion de l'image institutionnelle du Maroc ;",
                "Oversee the promotion of Morocco's institutional image;",
            ),
            (
                "تطوير آليات التحقق من الأخبار الزائفة في مجال التواصل العمومي والحكومي؛",
                (
                    "Développer des mécanismes de vérification des fausses informations dans la "
                    "communication publique et gouvernementale ;"
                ),
                "Develop mechanisms for checking false news in public and government communication;",
            ),
            (
                (
                    "السهر على تقديم خدمة إعلامية عمومية موجهة للرأي العام داخل البلاد وخارجها، بهدف "
                    "التعريف بمؤسسات المغرب وإصلاحاته الكبرى ومنجزاته وطاقاته؛"
                ),
                (
                    "Veiller à fournir un service public d'information destiné à l'opinion publique, "
                    "dans le pays et à l'étranger, afin de faire connaître les institutions du Maroc, "
                    "ses grandes réformes, ses réalisations et ses potentialités ;"
                ),
                (
                    "Provide a public information service for public opinion at home and abroad, to make "
                    "known Morocco's institutions, major reforms, achievements and potential;"
                ),
            ),
            (
                "إعداد مشاريع النصوص التشريعية والتنظيمية المتعلقة بمجالات اختصاص القطاع؛",
                (
                    "Élaborer les projets de textes législatifs et réglementaires relatifs aux domaines "
                    "de compétence du secteur ;"
                ),
                "Prepare draft laws and regulations on the sector's fields of competence;",
            ),
            (
                (
                    "تنمية الأنشطة المتعلقة بالتعاون الدولي في مجالات اختصاص القطاع، بتنسيق مع المصالح "
                    "المختصة للوزارة المكلفة بالشؤون الخارجية والتعاون؛"
                ),
                (
                    "Développer les activités de coopération internationale dans les domaines de "
                    "compétence du secteur, en coordination avec les services compétents du ministère "
                    "chargé des affaires étrangères et de la coopération ;"
                ),
                (
                    "Develop international cooperation activities in the sector's fields of competence, "
                    "in coordination with the competent services of the ministry in charge of foreign "
                    "affairs and cooperation;"
                ),
            ),
            (
                (
                    "يسهر كذلك، وفق النصوص الجاري بها العمل، على تنظيم المهن المرتبطة بقطاع التواصل "
                    "وتطويرها، وتشجيع الشراكة مع المهنيين والفاعلين في هذا المجال بالقطاعين العمومي "
                    "والخاص"
                ),
                (
                    "Il veille également, conformément aux textes en vigueur, à l'organisation et au "
                    "développement des métiers liés au secteur de la communication, et à l'encouragement "
                    "du partenariat avec les professionnels et les acteurs du domaine dans les secteurs "
                    "public et privé"
                ),
                (
                    "It also oversees, in accordance with the texts in force, the organisation and "
                    "development of the professions linked to the communication sector, and encourages "
                    "partnership with professionals and actors in the field in the public and private "
                    "sectors"
                ),
            ),
        ],
    },
    {
        "code": "MA-COM-SG",
        "parent": "MA-COM",
        "kind": "general_secretariat",
        "order": 1,
        "name_ar": "الكتابة العامة",
        "name_fr": "Secrétariat général",
        "name_en": "General Secretariat",
        "source": "seed 001",
        "missions": [],
    },
    {
        "code": "MA-COM-IG",
        "parent": "MA-COM",
        "kind": "inspectorate",
        "order": 2,
        "name_ar": "المفتشية العامة",
        "name_fr": "Inspection générale",
        "name_en": "General Inspectorate",
        "source": "seed 001",
        "missions": [],
    },
    {
        "code": "MA-COM-D1",
        "parent": "MA-COM",
        "kind": "directorate",
        "order": 3,
        "name_ar": "مديرية التواصل والعلاقات مع الفاعلين الإعلاميين",
        "name_fr": "Direction de la communication et des relations avec les acteurs médiatiques",
        "name_en": "Directorate of Communication and Relations with Media Actors",
        "source": "seed 001",
        "missions": [
            (
                "تنمية أنشطة التواصل العمومي المؤسساتي والنهوض بآلياته؛",
                "Développer les activités de communication publique institutionnelle et promouvoir ses mécanismes ;",
                "Develop institutional public communication activities and promote its mechanisms;",
            ),
            (
                "إنجاز حملات تواصلية تعريفية بالمغرب موجهة للرأي العام الخارجي؛",
                (
                    "Réaliser des campagnes de communication faisant connaître le Maroc auprès de "
                    "l'opinion publique étrangère ;"
                ),
                "Run communication campaigns presenting Morocco to foreign public opinion;",
            ),
            (
                "دعم العمل التواصلي للحكومة عن طريق التحسيس والإخبار والقيام بتحليل لوقعه عبر وسائل الإعلام؛",
                (
                    "Soutenir l'action de communication du gouvernement par la sensibilisation et "
                    "l'information, et analyser son impact dans les médias ;"
                ),
                (
                    "Support the government's communication through awareness-raising and information, "
                    "and analyse its impact in the media;"
                ),
            ),
            (
                "الإسهام في وضع وتنفيذ مخططات تواصل الأزمة بتنسيق مع القطاعات الوزارية المعنية؛",
                (
                    "Contribuer à l'élaboration et à la mise en œuvre des plans de communication de "
                    "crise en coordination avec les départements ministériels concernés ;"
                ),
                (
                    "Contribute to preparing and carrying out crisis-communication plans in coordination "
                    "with the ministerial departments concerned;"
                ),
            ),
            (
                "السهر على تنظيم الجائزة الوطنية الكبرى للصحافة وفق النصوص الجاري بها العمل؛",
                "Veiller à l'organisation du Grand Prix national de la presse conformément aux textes en vigueur ;",
                (
                    "Oversee the organisation of the National Grand Prize for Journalism in accordance "
                    "with the texts in force;"
                ),
            ),
            (
                "تدبير توزيع المطبوعات الأجنبية وفق النصوص الجاري بها العمل.",
                "Gérer la distribution des publications étrangères conformément aux textes en vigueur.",
                "Manage the distribution of foreign publications in accordance with the texts in force.",
            ),
            (
                (
                    "تنظيم وتأطير رحلات وزيارات صحفية لفائدة وسائل الإعلام الأجنبية وكذا صناع الرأي "
                    "العام للتعريف بالمغرب وإنجازاته؛"
                ),
                (
                    "Organiser et encadrer des voyages et visites de presse au profit des médias "
                    "étrangers et des faiseurs d'opinion afin de faire connaître le Maroc et ses "
                    "réalisations ;"
                ),
                (
                    "Organise and guide press trips and visits for foreign media and opinion makers to "
                    "present Morocco and its achievements;"
                ),
            ),
            (
                "الإسهام في مواكبة وسائل الإعلام الدولية في تغطية الأنشطة والتظاهرات الوطنية؛",
                (
                    "Contribuer à l'accompagnement des médias internationaux dans la couverture des "
                    "activités et manifestations nationales ;"
                ),
                "Help international media cover national activities and events;",
            ),
            (
                "اعتماد ومواكبة مراسلي الصحافة الأجنبية بالمغرب وفق النصوص الجاري بها العمل؛",
                (
                    "Accréditer et accompagner les correspondants de la presse étrangère au Maroc "
                    "conformément aux textes en vigueur ;"
                ),
                "Accredit and assist foreign press correspondents in Morocco in accordance with the texts in force;",
            ),
            (
                "إعداد تقارير حول صورة المغرب في مختلف وسائل الإعلام الأجنبية والعمل على نشرها وتتبعها؛",
                (
                    "Élaborer des rapports sur l'image du Maroc dans les différents médias étrangers, et "
                    "veiller à leur diffusion et à leur suivi ;"
                ),
                "Prepare reports on Morocco's image in foreign media, and publish and follow them up;",
            ),
            (
                "الرصد والتحليل الإخباري؛",
                "Veille et analyse de l'information ;",
                "News monitoring and analysis;",
            ),
            (
                "السهر على التحقق من الأخبار الزائفة على مستوى التواصل العمومي والحكومي؛",
                (
                    "Veiller à la vérification des fausses informations dans la communication publique "
                    "et gouvernementale ;"
                ),
                "Oversee the checking of false news in public and government communication;",
            ),
            (
                "تتبع قطاع الصحافة والنشر على المستوى الوطني.",
                "Suivre le secteur de la presse et de l'édition au niveau national.",
                "Follow the press and publishing sector at national level.",
            ),
        ],
    },
    {
        "code": "MA-COM-D2",
        "parent": "MA-COM",
        "kind": "directorate",
        "order": 4,
        "name_ar": "مديرية الدراسات وتحديث وسائل الإعلام",
        "name_fr": "Direction des études et de la modernisation des médias",
        "name_en": "Directorate of Studies and Media Modernisation",
        "source": "seed 001",
        "missions": [
            (
                "الإسهام في تتبع وتقييم السياسات العمومية المتعلقة بمجالات اختصاص القطاع؛",
                (
                    "Contribuer au suivi et à l'évaluation des politiques publiques relatives aux "
                    "domaines de compétence du secteur ;"
                ),
                "Contribute to following and evaluating public policies on the sector's fields of competence;",
            ),
            (
                "إعداد مشاريع دفاتر التحملات الخاصة بالشركات الوطنية للاتصال السمعي البصري العمومي؛",
                "Élaborer les projets de cahiers des charges des sociétés nationales de l'audiovisuel public ;",
                "Prepare the draft terms of reference of the national public audiovisual companies;",
            ),
            (
                (
                    "الإسهام في إعداد عقود البرامج المبرمة بين الدولة وبين الشركات الوطنية للاتصال "
                    "السمعي البصري العمومي والسهر على تتبع تنفيذها؛"
                ),
                (
                    "Contribuer à l'élaboration des contrats-programmes conclus entre l'État et les "
                    "sociétés nationales de l'audiovisuel public et veiller au suivi de leur exécution ;"
                ),
                (
                    "Contribute to preparing the programme contracts between the State and the national "
                    "public audiovisual companies and follow their execution;"
                ),
            ),
            (
                "تتبع ملف الأسئلة البرلمانية المتعلقة بالقطاع؛",
                "Suivre le dossier des questions parlementaires relatives au secteur ;",
                "Follow the parliamentary questions concerning the sector;",
            ),
            (
                "دراسة ومعالجة وتتبع ملفات النزاعات؛",
                "Étudier, traiter et suivre les dossiers contentieux ;",
                "Study, handle and follow litigation files;",
            ),
            (
                (
                    "مواكبة وتتبع أنشطة المؤسسات الخاضعة لوصاية السلطة الحكومية المكلفة بالقطاع واقتراح "
                    "التدابير الهادفة إلى تطويرها؛"
                ),
                (
                    "Accompagner et suivre les activités des établissements placés sous la tutelle de "
                    "l'autorité gouvernementale chargée du secteur et proposer les mesures visant à les "
                    "développer ;"
                ),
                (
                    "Assist and follow the activities of the institutions under the supervision of the "
                    "government authority in charge of the sector and propose measures to develop them;"
                ),
            ),
            (
                "السهر على إنجاز الدراسات المرتبطة بمجالات اختصاص القطاع؛",
                "Veiller à la réalisation des études relatives aux domaines de compétence du secteur ;",
                "Oversee the studies on the sector's fields of competence;",
            ),
            (
                ("إعداد مشاريع النصوص التشريعية والتنظيمية المتعلقة بمجالات اختصاص القطاع والعمل على تتبعها وتحيينها؛"),
                (
                    "Élaborer les projets de textes législatifs et réglementaires relatifs aux domaines "
                    "de compétence du secteur, en assurer le suivi et la mise à jour ;"
                ),
                (
                    "Prepare draft laws and regulations on the sector's fields of competence, and follow "
                    "and update them;"
                ),
            ),
            (
                (
                    "إبداء الرأي في مشاريع النصوص التشريعية والتنظيمية ومقترحات القوانين ومشاريع "
                    "اتفاقيات التعاون المحالة على القطاع؛"
                ),
                (
                    "Donner un avis sur les projets de textes législatifs et réglementaires, les "
                    "propositions de loi et les projets d'accords de coopération soumis au secteur ;"
                ),
                (
                    "Give opinions on draft laws and regulations, law proposals and draft cooperation "
                    "agreements referred to the sector;"
                ),
            ),
            (
                (
                    "السهر على تعزيز قدرات المهنيين في مجالات قطاع التواصل والقيام، بتنسيق مع الهيئات "
                    "المختصة، باتخاذ التدابير التي تمكن من الاستجابة للحاجيات في هذه المجالات على مستوى "
                    "الكفاءات والتأهيل والخبرة."
                ),
                (
                    "Veiller au renforcement des capacités des professionnels des domaines de la "
                    "communication et prendre, en coordination avec les organismes compétents, les "
                    "mesures permettant de répondre aux besoins de ces domaines en compétences, "
                    "qualification et expertise."
                ),
                (
                    "Strengthen the capacities of professionals in the communication fields and, in "
                    "coordination with the competent bodies, take measures that meet the needs of these "
                    "fields for skills, qualification and expertise."
                ),
            ),
        ],
    },
    {
        "code": "MA-COM-D3",
        "parent": "MA-COM",
        "kind": "directorate",
        "order": 5,
        "name_ar": "مديرية تنمية صناعة الألعاب الإلكترونية ونظم المعلومات",
        "name_fr": "Direction du développement de l'industrie du jeu vidéo et des systèmes d'information",
        "name_en": "Directorate of Video-Game Industry Development and Information Systems",
        "source": "seed 001",
        "missions": [
            (
                "إعداد مخططات لتطوير صناعة الألعاب الإلكترونية؛",
                "Élaborer des plans de développement de l'industrie du jeu vidéo ;",
                "Prepare plans to develop the video-game industry;",
            ),
            (
                "شجيع الابتكار في ميدان صناعة الألعاب الإلكترونية؛",
                "Encourager l'innovation dans l'industrie du jeu vidéo ;",
                "Encourage innovation in the video-game industry;",
            ),
            (
                "مواكبة المهنيين والشركاء في ميدان صناعة الألعاب الإلكترونية على المستوى الوطني؛",
                "Accompagner les professionnels et les partenaires de l'industrie du jeu vidéo au niveau national ;",
                "Assist professionals and partners of the video-game industry at national level;",
            ),
            (
                "تنظيم تظاهرات حول صناعة الألعاب الإلكترونية؛",
                "Organiser des manifestations sur l'industrie du jeu vidéo ;",
                "Organise events on the video-game industry;",
            ),
            (
                "إعداد مخطط التحول الرقي للقطاع، بتنسيق مع الإدارات والبيئات المعنية، والسهر على تنفيذه؛",
                (
                    "Élaborer le plan de transformation numérique du secteur, en coordination avec les "
                    "administrations et organismes concernés, et veiller à sa mise en œuvre ;"
                ),
                (
                    "Prepare the sector's digital-transformation plan, in coordination with the "
                    "administrations and bodies concerned, and oversee its implementation;"
                ),
            ),
            (
                "تطوير الخدمات الرقمية بمساهمة البنيات الإدارية المعنية؛",
                ("Développer les services numériques avec la contribution des structures administratives concernées ;"),
                "Develop digital services with the contribution of the administrative units concerned;",
            ),
            (
                "تطوير نظم معلومات لتجميع ومعالجة البيانات الخاصة بمجالات اختصاص القطاع؛",
                (
                    "Développer des systèmes d'information pour collecter et traiter les données des "
                    "domaines de compétence du secteur ;"
                ),
                "Develop information systems to collect and process data on the sector's fields of competence;",
            ),
            (
                "القيام بمهام اليقظة التكنولوجية في مجالي التحول الرقي وتكنولوجيا المعلومات؛",
                (
                    "Assurer la veille technologique dans les domaines de la transformation numérique et "
                    "des technologies de l'information ;"
                ),
                "Carry out technology watch in digital transformation and information technology;",
            ),
            (
                "تدبير وحفظ ورقمنة خزانة الوثائق والصور الفوتوغرافية ووضعها رهن إشارة العموم؛",
                (
                    "Gérer, conserver et numériser le fonds documentaire et photographique et le mettre "
                    "à la disposition du public ;"
                ),
                (
                    "Manage, preserve and digitise the library of documents and photographs and make it "
                    "available to the public;"
                ),
            ),
            (
                "توثيق وحفظ ذاكرة الصحافة الورقية الوطنية؛",
                "Documenter et conserver la mémoire de la presse écrite nationale ;",
                "Document and preserve the memory of the national print press;",
            ),
            (
                "إنتاج ونشر وتوزيع الإصدارات المكتوبة والرقمية الخاصة بالقطاع؛",
                "Produire, publier et diffuser les publications écrites et numériques du secteur ;",
                "Produce, publish and distribute the sector's printed and digital publications;",
            ),
            (
                "تنظيم معارض موضوعاتية ؛",
                "Organiser des expositions thématiques ;",
                "Organise thematic exhibitions;",
            ),
            (
                "تدبير البوابة الوطنية للمغرب وبوابة الصحراء الغربية وتجميع ومعالجة وتحيين كافة معطياتهما ؛",
                (
                    "Gérer le portail national du Maroc et le portail du Sahara occidental, et "
                    "collecter, traiter et mettre à jour l'ensemble de leurs données ;"
                ),
                (
                    "Manage the national portal of Morocco and the Western Sahara portal, and collect, "
                    "process and update all their data;"
                ),
            ),
            (
                (
                    "تدبير الواقع الإلكترونية الموضوعاتية الخاصة بالقطاع للتعريف بإصلاحات الغرب الكبرى "
                    "ومنجزاته وطاقاته ؛"
                ),
                (
                    "Gérer les sites web thématiques du secteur pour faire connaître les grandes "
                    "réformes du Maroc, ses réalisations et ses potentialités ;"
                ),
                (
                    "Manage the sector's thematic websites presenting Morocco's major reforms, "
                    "achievements and potential;"
                ),
            ),
            (
                "تدبير الوقع الإلكتروني الرسمي للقطاع وحسابات مواقع التواصل الاجتماعي الخاصة به؛",
                "Gérer le site web officiel du secteur et ses comptes sur les réseaux sociaux ;",
                "Manage the sector's official website and its social-media accounts;",
            ),
        ],
    },
    {
        "code": "MA-COM-D4",
        "parent": "MA-COM",
        "kind": "directorate",
        "order": 6,
        "name_ar": "مديرية الموارد البشرية والمالية",
        "name_fr": "Direction des ressources humaines et financières",
        "name_en": "Directorate of Human and Financial Resources",
        "source": "seed 001",
        "missions": [
            (
                "إعداد وتنفيذ استراتيجية القطاع المتعلقة بالوارد البشرية للقطاع:",
                "Élaborer et mettre en œuvre la stratégie du secteur en matière de ressources humaines :",
                "Prepare and carry out the sector's human-resources strategy:",
            ),
            (
                (
                    "تدبير الوارد البشرية للقطاع والعمل على تطوير وتنمية كفاءاته من خلال اعتماد التدبير "
                    "التوقعي للوظائف والكفاءات وتدبير السارات الوظيفية وإعداد برامج للتكوين المستمر "
                    "وإعادة التأهيل الوظيفي وتتبع وتقييم تنفيذها؛"
                ),
                (
                    "Gérer les ressources humaines du secteur et développer ses compétences par la "
                    "gestion prévisionnelle des emplois et des compétences, la gestion des parcours "
                    "professionnels et l'élaboration de programmes de formation continue et de "
                    "requalification professionnelle, dont il suit et évalue l'exécution ;"
                ),
                (
                    "Manage the sector's human resources and develop its skills through forward planning "
                    "of jobs and skills, career-path management and programmes of continuing training "
                    "and professional requalification, following and evaluating their execution;"
                ),
            ),
            (
                "إعداد وتوقع البرامج الميزانيات المتعددة السنوات ؛",
                "Élaborer et programmer les budgets pluriannuels ;",
                "Prepare and forecast the multi-year budget programmes;",
            ),
            (
                "إعداد مشروع الميزانية السنوية للقطاع والسمر على تنفيذ هذه الميزانية؛",
                "Élaborer le projet de budget annuel du secteur et veiller à son exécution ;",
                "Prepare the sector's draft annual budget and oversee its execution;",
            ),
            (
                "تدبير الحساب لرصد لأمور خصوصية للقطاع بتنسيق مع القطاعات الوزارية المعنية؛",
                (
                    "Gérer le compte d'affectation spéciale du secteur en coordination avec les "
                    "départements ministériels concernés ;"
                ),
                (
                    "Manage the sector's special-purpose account in coordination with the ministerial "
                    "departments concerned;"
                ),
            ),
            (
                (
                    "اتخاذ الإجراءات الإدارية والالية المتعلقة بمنح الدعم العمومي القطاعات الصحافة "
                    "والنشر والطباعة والتوزيع؛"
                ),
                (
                    "Prendre les mesures administratives et financières relatives à l'octroi du soutien "
                    "public aux secteurs de la presse, de l'édition, de l'impression et de la "
                    "distribution ;"
                ),
                (
                    "Take the administrative and financial steps for granting public support to the "
                    "press, publishing, printing and distribution sectors;"
                ),
            ),
            (
                "مواكبة التدبير الالي والمحاسباتي للمصالح اللاممركزة للقطاع ؛",
                "Accompagner la gestion financière et comptable des services déconcentrés du secteur ;",
                "Assist the financial and accounting management of the sector's deconcentrated services;",
            ),
            (
                "تتبع ومواكبة مرافق الدولة السيرة بصفة مستقلة التابعة للقطاع؛",
                "Suivre et accompagner les services de l'État gérés de manière autonome relevant du secteur ;",
                "Follow and assist the State services managed autonomously under the sector;",
            ),
            (
                "إعداد برامج للمشتريات والسهر على تنفيذها،؛",
                "Élaborer des programmes d'achats et veiller à leur exécution ;",
                "Prepare procurement programmes and oversee their execution;",
            ),
            (
                "تدبير وصيائة الممتلكات والتجهيزات التابعة للقطاع ؛",
                "Gérer et entretenir les biens et équipements du secteur ;",
                "Manage and maintain the sector's property and equipment;",
            ),
            (
                "تطوير مقاربة النوع داخل القطاع؛",
                "Développer l'approche genre au sein du secteur ;",
                "Develop the gender approach within the sector;",
            ),
            (
                "تنمية وتنشيط الأعمال الاجتماعية داخل القطاع ؛",
                "Développer et animer les œuvres sociales au sein du secteur ;",
                "Develop and run social welfare activities within the sector;",
            ),
            (
                "توفير بنية تحتية معلوماتية ملائمة وصيانتها وتقنين عملية استغلالها والولوج إليها.",
                (
                    "Fournir une infrastructure informatique adaptée, en assurer la maintenance et "
                    "réglementer son exploitation et son accès."
                ),
                "Provide a suitable IT infrastructure, maintain it and regulate its use and access.",
            ),
        ],
    },
    {
        "code": "MA-COM-SD",
        "parent": "MA-COM",
        "kind": "deconcentrated",
        "order": 7,
        "name_ar": "المصالح اللاممركزة",
        "name_fr": "Services déconcentrés",
        "name_en": "Deconcentrated services",
        "source": "seed 001",
        "missions": [],
    },
    {
        "code": "GOV-004",
        "parent": None,
        "kind": "government",
        "order": 3,
        "name_ar": "مجلس الوزراء",
        "name_fr": "Conseil des ministres",
        "name_en": "Council of Ministers",
        "source": "seed 004",
        "missions": [],
    },
]

# Document 003: the ministerial council, and its decisions in the order the document states them.
MEETING = {
    "kind": "ministerial_council",
    "name_ar": "مجلس وزاري لمتابعة تقدم مشاريع التحول الرقمي",
    "name_fr": "Conseil ministériel de suivi de l'avancement des projets de transformation numérique",
    "name_en": "Ministerial council following the progress of digital-transformation projects",
    "body_ar": "مجلس وزاري برئاسة رئيسة الحكومة",
    "body_fr": "Conseil ministériel présidé par la cheffe du gouvernement",
    "body_en": "Ministerial council chaired by the Head of Government",
    "place_ar": "قصر القصبة",
    "place_fr": "Palais de la Kasbah",
    "place_en": "Kasbah Palace",
    "summary_ar": (
        "كما ناقش المشاركون في هذا المجلس العقبات التي تواجه تنفيذ بعض المشاريع والحلول التي يجب تنفيذها "
        "لتسريع إنجازها."
    ),
    "summary_fr": (
        "Les participants à ce conseil ont également examiné les obstacles qui entravent la réalisation "
        "de certains projets et les solutions à mettre en œuvre pour accélérer leur achèvement."
    ),
    "summary_en": (
        "The participants in this council also discussed the obstacles facing the implementation of some "
        "projects and the solutions to be put in place to speed up their completion."
    ),
    "owner": "TN-PM",
    "classification": "public",
    "source": "seed 003",
}

DECISIONS = [
    (
        "دمج المشاريع الرقمية في المنصة الوطنية لمتابعة المشاريع العامة",
        "Intégrer les projets numériques dans la plateforme nationale de suivi des projets publics",
        "Integrate the digital projects into the national platform for following public projects",
    ),
    (
        "إنشاء لوحات قيادة وطنية وقطاعية لمتابعة مؤشرات الأداء",
        "Créer des tableaux de bord nationaux et sectoriels de suivi des indicateurs de performance",
        "Create national and sectoral dashboards to follow performance indicators",
    ),
    (
        "تعميم التفاعل بين الوزارات والهيئات العامة، من خلال إنشاء آليات إلزامية لتبادل البيانات بين الإدارات",
        (
            "Généraliser l'interopérabilité entre les ministères et les organismes publics, par la mise "
            "en place de mécanismes obligatoires d'échange de données entre les administrations"
        ),
        (
            "Generalise interoperability between ministries and public bodies, by setting up mandatory "
            "data-exchange mechanisms between administrations"
        ),
    ),
    (
        "سيتم دعم هذا التفاعل بتطوير وسائل الدفع الإلكتروني والشمول المالي",
        (
            "Cette interopérabilité sera soutenue par le développement des moyens de paiement "
            "électronique et de l'inclusion financière"
        ),
        "This interoperability will be supported by developing electronic payment and financial inclusion",
    ),
    (
        "إطلاق استراتيجية وطنية للتواصل تهدف إلى تعريف المواطنين بالخدمات المتاحة وتسهيل الوصول إليها",
        (
            "Lancer une stratégie nationale de communication visant à faire connaître aux citoyens les "
            "services disponibles et à en faciliter l'accès"
        ),
        (
            "Launch a national communication strategy to make the available services known to citizens "
            "and easier to reach"
        ),
    ),
    (
        "سيتم تطوير منصة وطنية موحدة تجمع الخدمات الإدارية لتقديم واجهة مبسطة للمواطنين والمستثمرين والشركات",
        (
            "Une plateforme nationale unifiée regroupant les services administratifs sera développée "
            "pour offrir une interface simplifiée aux citoyens, aux investisseurs et aux entreprises"
        ),
        (
            "A unified national platform bringing together administrative services will be developed to "
            "offer a simple interface to citizens, investors and companies"
        ),
    ),
    (
        "تصنيف البيانات العامة ووضع حوكمة واضحة لهذه البيانات، التي تعتبر رافعة مركزية لتطوير الذكاء الاصطناعي",
        (
            "Classifier les données publiques et mettre en place une gouvernance claire de ces données, "
            "levier central du développement de l'intelligence artificielle"
        ),
        (
            "Classify public data and set up clear governance of these data, a central lever for "
            "developing artificial intelligence"
        ),
    ),
    (
        "سيتم اعتماد سياسة وطنية للبيانات المفتوحة لتعزيز الشفافية وتشجيع الابتكار",
        (
            "Une politique nationale de données ouvertes sera adoptée pour renforcer la transparence et "
            "encourager l'innovation"
        ),
        "A national open-data policy will be adopted to strengthen transparency and encourage innovation",
    ),
    (
        "دمج حلول الذكاء الاصطناعي للكشف المبكر عن الفساد والتهرب الضريبي",
        (
            "Intégrer des solutions d'intelligence artificielle pour la détection précoce de la "
            "corruption et de l'évasion fiscale"
        ),
        "Integrate artificial-intelligence solutions for the early detection of corruption and tax evasion",
    ),
    (
        "إعداد رؤية وطنية موحدة للرقمنة للفترة 2026-2030، مع أهداف وأولويات وجدول زمني محدد",
        (
            "Préparer une vision nationale unifiée de la numérisation pour la période 2026-2030, avec "
            "des objectifs, des priorités et un calendrier précis"
        ),
        ("Prepare a unified national digitisation vision for 2026-2030, with set objectives, priorities and timetable"),
    ),
]

# Strategies with their axes, programs and phases (003: vision and 2025-2026 program; 004: national strategy).
STRATEGIES = [
    {
        "code": "TN-VISION-2030",
        "kind": "vision",
        "parent": None,
        "owner": "TN-PM",
        "name_ar": "الرؤية الوطنية الموحدة للرقمنة 2026-2030",
        "name_fr": "Vision nationale unifiée de la numérisation 2026-2030",
        "name_en": "Unified National Digitisation Vision 2026-2030",
        "description_ar": "رؤية وطنية موحدة للرقمنة للفترة 2026-2030، مع أهداف وأولويات وجدول زمني محدد",
        "description_fr": (
            "Une vision nationale unifiée de la numérisation pour la période 2026-2030, avec des "
            "objectifs, des priorités et un calendrier précis."
        ),
        "description_en": (
            "A unified national digitisation vision for 2026-2030, with set objectives, priorities and timetable."
        ),
        "period_start": datetime.date(2026, 1, 1),
        "period_end": datetime.date(2030, 12, 31),
        "adopted_on": None,
        "adopted_by_ar": "",
        "adopted_by_fr": "",
        "adopted_by_en": "",
        "planned_project_count": None,
        "classification": "public",
        "source": "seed 003",
        "axes": [],
        "programs": [],
        "phases": [],
    },
    {
        "code": "TN-PTN-2526",
        "kind": "program",
        "parent": "TN-VISION-2030",
        "owner": "TN-MTC",
        "name_ar": "برنامج التحول الرقمي 2025-2026",
        "name_fr": "Programme de transformation numérique 2025-2026",
        "name_en": "Digital Transformation Programme 2025-2026",
        "description_ar": "يتضمن 138 مشروعًا موزعة على أربعة محاور",
        "description_fr": "Il comprend 138 projets répartis sur quatre axes.",
        "description_en": "It comprises 138 projects spread over four axes.",
        "period_start": datetime.date(2025, 1, 1),
        "period_end": datetime.date(2026, 12, 31),
        "adopted_on": None,
        "adopted_by_ar": "",
        "adopted_by_fr": "",
        "adopted_by_en": "",
        "planned_project_count": 138,
        "classification": "public",
        "source": "seed 003",
        "axes": [
            {
                "order": 1,
                "planned_project_count": 99,
                "name_ar": "التحول الرقمي للإدارة",
                "name_fr": "Transformation numérique de l'administration",
                "name_en": "Digital transformation of the administration",
                "description_ar": "تطوير الخدمات عن بعد، التفاعل العام، وتسريع أنظمة المعلومات.",
                "description_fr": (
                    "Développement des services à distance, interopérabilité générale et accélération "
                    "des systèmes d'information."
                ),
                "description_en": (
                    "Developing remote services, general interoperability and speeding up information systems."
                ),
            },
            {
                "order": 2,
                "planned_project_count": 18,
                "name_ar": "تعزيز الاقتصاد الرقمي",
                "name_fr": "Renforcement de l'économie numérique",
                "name_en": "Strengthening the digital economy",
                "description_ar": (
                    "استغلال الفرص التي يوفرها الذكاء الاصطناعي، التدريب، التجارة الإلكترونية، الابتكار "
                    "وريادة الأعمال، الشمول المالي والمدفوعات الإلكترونية."
                ),
                "description_fr": (
                    "Exploiter les opportunités offertes par l'intelligence artificielle, la formation, "
                    "le commerce électronique, l'innovation et l'entrepreneuriat, l'inclusion financière "
                    "et les paiements électroniques."
                ),
                "description_en": (
                    "Seizing the opportunities offered by artificial intelligence, training, e-commerce, "
                    "innovation and entrepreneurship, financial inclusion and electronic payments."
                ),
            },
            {
                "order": 3,
                "planned_project_count": 12,
                "name_ar": "الأمن السيبراني والثقة الرقمية",
                "name_fr": "Cybersécurité et confiance numérique",
                "name_en": "Cybersecurity and digital trust",
                "description_ar": "تعزيز أمن الأنظمة وتعزيز الثقة الرقمية.",
                "description_fr": "Renforcer la sécurité des systèmes et la confiance numérique.",
                "description_en": "Strengthening the security of systems and digital trust.",
            },
            {
                "order": 4,
                "planned_project_count": 9,
                "name_ar": "البنية التحتية الرقمية",
                "name_fr": "Infrastructure numérique",
                "name_en": "Digital infrastructure",
                "description_ar": "تعميم تغطية شبكات الاتصالات وتحديث البنية التحتية الإدارية.",
                "description_fr": (
                    "Généraliser la couverture des réseaux de télécommunications et moderniser "
                    "l'infrastructure administrative."
                ),
                "description_en": (
                    "Extending telecommunication network coverage everywhere and modernising the "
                    "administrative infrastructure."
                ),
            },
        ],
        "programs": [],
        "phases": [],
    },
    {
        "code": "STR-004",
        "kind": "strategy",
        "parent": None,
        "owner": "GOV-004",
        "name_ar": "الاستراتيجيّة الوطنيّة للتّحوّل الرّقمي للخدمات الحكوميّة",
        "name_fr": "Stratégie nationale de transformation numérique des services gouvernementaux",
        "name_en": "National Strategy for the Digital Transformation of Government Services",
        "description_ar": "بهدف تغيير آليّة تقديم الخدمات العامّة لتقدّم بطريقة رقميّة مؤتمتة شفافة وشاملة متكاملة",
        "description_fr": (
            "Changer la manière dont les services publics sont fournis, pour qu'ils le soient de façon "
            "numérique, automatisée, transparente, complète et intégrée."
        ),
        "description_en": (
            "Change how public services are delivered so that they are digital, automated, transparent, "
            "comprehensive and integrated."
        ),
        "period_start": datetime.date(2021, 1, 1),
        "period_end": datetime.date(2030, 12, 31),
        "adopted_on": datetime.date(2021, 8, 31),
        "adopted_by_ar": "مجلس الوزراء",
        "adopted_by_fr": "Conseil des ministres",
        "adopted_by_en": "Council of Ministers",
        "planned_project_count": 49,
        "classification": "public",
        "source": "seed 004",
        "axes": [
            {
                "order": 1,
                "planned_project_count": None,
                "name_ar": "الخدمات الحكوميّة الالكترونيّة",
                "name_fr": "Services gouvernementaux électroniques",
                "name_en": "Electronic government services",
                "description_ar": "",
                "description_fr": "",
                "description_en": "",
            },
            {
                "order": 2,
                "planned_project_count": None,
                "name_ar": "تحسين كفاءة الأداء الحكومي",
                "name_fr": "Amélioration de l'efficacité de l'action gouvernementale",
                "name_en": "Improving the efficiency of government performance",
                "description_ar": "",
                "description_fr": "",
                "description_en": "",
            },
            {
                "order": 3,
                "planned_project_count": None,
                "name_ar": "البيئة التّمكينيّة للتّحوّل الرّقمي",
                "name_fr": "Environnement favorable à la transformation numérique",
                "name_en": "Enabling environment for digital transformation",
                "description_ar": "",
                "description_fr": "",
                "description_en": "",
            },
        ],
        "programs": [
            {
                "order": 1,
                "code": "S004-P01",
                "name_ar": "البرنامج 1",
                "name_fr": "Programme 1",
                "name_en": "Program 1",
                "description_ar": "لا تذكر الوثيقة أسماء البرامج الاثني عشر ولا محاورها.",
                "description_fr": "Le document ne nomme pas les douze programmes ni leurs axes.",
                "description_en": "The document does not name the twelve programmes or their axes.",
            },
            {
                "order": 2,
                "code": "S004-P02",
                "name_ar": "البرنامج 2",
                "name_fr": "Programme 2",
                "name_en": "Program 2",
                "description_ar": "لا تذكر الوثيقة أسماء البرامج الاثني عشر ولا محاورها.",
                "description_fr": "Le document ne nomme pas les douze programmes ni leurs axes.",
                "description_en": "The document does not name the twelve programmes or their axes.",
            },
            {
                "order": 3,
                "code": "S004-P03",
                "name_ar": "البرنامج 3",
                "name_fr": "Programme 3",
                "name_en": "Program 3",
                "description_ar": "لا تذكر الوثيقة أسماء البرامج الاثني عشر ولا محاورها.",
                "description_fr": "Le document ne nomme pas les douze programmes ni leurs axes.",
                "description_en": "The document does not name the twelve programmes or their axes.",
            },
            {
                "order": 4,
                "code": "S004-P04",
                "name_ar": "البرنامج 4",
                "name_fr": "Programme 4",
                "name_en": "Program 4",
                "description_ar": "لا تذكر الوثيقة أسماء البرامج الاثني عشر ولا محاورها.",
                "description_fr": "Le document ne nomme pas les douze programmes ni leurs axes.",
                "description_en": "The document does not name the twelve programmes or their axes.",
            },
            {
                "order": 5,
                "code": "S004-P05",
                "name_ar": "البرنامج 5",
                "name_fr": "Programme 5",
                "name_en": "Program 5",
                "description_ar": "لا تذكر الوثيقة أسماء البرامج الاثني عشر ولا محاورها.",
                "description_fr": "Le document ne nomme pas les douze programmes ni leurs axes.",
                "description_en": "The document does not name the twelve programmes or their axes.",
            },
            {
                "order": 6,
                "code": "S004-P06",
                "name_ar": "البرنامج 6",
                "name_fr": "Programme 6",
                "name_en": "Program 6",
                "description_ar": "لا تذكر الوثيقة أسماء البرامج الاثني عشر ولا محاورها.",
                "description_fr": "Le document ne nomme pas les douze programmes ni leurs axes.",
                "description_en": "The document does not name the twelve programmes or their axes.",
            },
            {
                "order": 7,
                "code": "S004-P07",
                "name_ar": "البرنامج 7",
                "name_fr": "Programme 7",
                "name_en": "Program 7",
                "description_ar": "لا تذكر الوثيقة أسماء البرامج الاثني عشر ولا محاورها.",
                "description_fr": "Le document ne nomme pas les douze programmes ni leurs axes.",
                "description_en": "The document does not name the twelve programmes or their axes.",
            },
            {
                "order": 8,
                "code": "S004-P08",
                "name_ar": "البرنامج 8",
                "name_fr": "Programme 8",
                "name_en": "Program 8",
                "description_ar": "لا تذكر الوثيقة أسماء البرامج الاثني عشر ولا محاورها.",
                "description_fr": "Le document ne nomme pas les douze programmes ni leurs axes.",
                "description_en": "The document does not name the twelve programmes or their axes.",
            },
            {
                "order": 9,
                "code": "S004-P09",
                "name_ar": "البرنامج 9",
                "name_fr": "Programme 9",
                "name_en": "Program 9",
                "description_ar": "لا تذكر الوثيقة أسماء البرامج الاثني عشر ولا محاورها.",
                "description_fr": "Le document ne nomme pas les douze programmes ni leurs axes.",
                "description_en": "The document does not name the twelve programmes or their axes.",
            },
            {
                "order": 10,
                "code": "S004-P10",
                "name_ar": "البرنامج 10",
                "name_fr": "Programme 10",
                "name_en": "Program 10",
                "description_ar": "لا تذكر الوثيقة أسماء البرامج الاثني عشر ولا محاورها.",
                "description_fr": "Le document ne nomme pas les douze programmes ni leurs axes.",
                "description_en": "The document does not name the twelve programmes or their axes.",
            },
            {
                "order": 11,
                "code": "S004-P11",
                "name_ar": "البرنامج 11",
                "name_fr": "Programme 11",
                "name_en": "Program 11",
                "description_ar": "لا تذكر الوثيقة أسماء البرامج الاثني عشر ولا محاورها.",
                "description_fr": "Le document ne nomme pas les douze programmes ni leurs axes.",
                "description_en": "The document does not name the twelve programmes or their axes.",
            },
            {
                "order": 12,
                "code": "S004-P12",
                "name_ar": "البرنامج 12",
                "name_fr": "Programme 12",
                "name_en": "Program 12",
                "description_ar": "لا تذكر الوثيقة أسماء البرامج الاثني عشر ولا محاورها.",
                "description_fr": "Le document ne nomme pas les douze programmes ni leurs axes.",
                "description_en": "The document does not name the twelve programmes or their axes.",
            },
        ],
        "phases": [
            {
                "order": 1,
                "start": datetime.date(2021, 1, 1),
                "end": datetime.date(2023, 12, 31),
                "name_ar": "المرحلة التّأسيسيّة",
                "name_fr": "Phase de fondation",
                "name_en": "Foundation phase",
                "description_ar": "وفيها يتم بناء البنى التّحتيّة الدّاعمة للتّحوّل الرّقمي",
                "description_fr": "Construction des infrastructures qui soutiennent la transformation numérique.",
                "description_en": "Building the infrastructure that supports digital transformation.",
            },
            {
                "order": 2,
                "start": datetime.date(2023, 1, 1),
                "end": datetime.date(2027, 12, 31),
                "name_ar": "مرحلة الانتقال لخدمات تفاعليّة",
                "name_fr": "Phase de passage aux services interactifs",
                "name_en": "Transition to interactive services",
                "description_ar": "استثمار هذه البنى التّحتيّة من خلال إطلاق وتنفيذ برامج ومشاريع التّحوّل الرّقمي",
                "description_fr": (
                    "Exploitation de ces infrastructures par le lancement et la réalisation des "
                    "programmes et projets de transformation numérique."
                ),
                "description_en": (
                    "Using this infrastructure by launching and carrying out the digital-transformation "
                    "programmes and projects."
                ),
            },
            {
                "order": 3,
                "start": datetime.date(2027, 1, 1),
                "end": datetime.date(2030, 12, 31),
                "name_ar": "مرحلة التّحوّل الرّقمي",
                "name_fr": "Phase de transformation numérique",
                "name_en": "Digital transformation phase",
                "description_ar": "وفيها سيتم جني قطاف نتائج هذه الاستراتيجيّة",
                "description_fr": "Récolte des résultats de la stratégie.",
                "description_en": "Reaping the results of the strategy.",
            },
        ],
    },
]
