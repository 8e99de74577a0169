"""Name pools: the words firm names are built from and the names people carry, per
naming culture. Invented combinations of common words and names; any likeness to a real
firm or person is chance. Chinese and Cyrillic pools are in their own script (registries
write them so; other sources romanise them).
"""

from __future__ import annotations

# fmt: off
#: Culture -> words firm names are built from.
FIRM_WORDS: dict[str, tuple[str, ...]] = {
    "anglo": (
        "Atlantic", "Harbor", "Summit", "Crest", "Meridian", "Keystone", "Northwind",
        "Bridgewater", "Ashford", "Whitmore", "Pinecrest", "Silverline", "Redwood", "Blue Ocean",
        "Evergreen", "Highland", "Riverside", "Oakmont", "Starling", "Falcon", "Carter", "Bennett",
        "Hughes", "Wallace", "Fletcher", "Morgan", "Turner", "Sutton", "Hayes", "Porter",
        "Granite", "Beacon", "Horizon", "Lighthouse", "Westbrook", "Kingsley", "Union", "Pioneer",
    ),
    "germanic": (
        "Nordstern", "Bergmann", "Falken", "Lindner", "Weiss", "Hoffmann", "Kaiser", "Stern",
        "Brandt", "Vogel", "Hansa", "Elbe", "Rhein", "Alpen", "Vanderberg", "Janssen", "De Vries",
        "Dekker", "Visser", "Lund", "Holm", "Nielsen", "Berg", "Fjord", "Nordic", "Baltic",
        "Eiche", "Adler", "Sonnen", "Weber", "Schuster", "Krüger",
    ),
    "romance": (
        "Fontana", "Costa", "Mercado", "Soler", "Ribeiro", "Duarte", "Moreau", "Lefèvre", "Rossi",
        "Bianchi", "Esposito", "Castillo", "Morales", "Herrera", "Vargas", "Santos", "Oliveira",
        "Del Mar", "Sol", "Estrella", "Andina", "Pacífico", "Aurora", "Luz", "Rio Grande",
        "Mediterránea", "Iberia", "Solaris", "Vela", "Cruz",
    ),
    "slavic": (
        "Северный", "Восток", "Альянс", "Транзит", "Импорт", "Сибирь", "Волга", "Урал", "Балтика",
        "Звезда", "Меридиан", "Гранит", "Орион", "Вектор", "Прогресс", "Авангард", "Феникс",
        "Кристалл", "Титан", "Янтарь",
    ),
    "arabic": (
        "Al Noor", "Al Amal", "Al Baraka", "Al Safa", "Al Rashid", "Al Fajr", "Al Hilal",
        "Al Wafa", "Al Khaleej", "Al Majd", "Al Nakheel", "Al Zahra", "Al Sharq", "Al Mansour",
        "Al Hussain", "Al Qamar", "Dar Al Salam", "Bin Khalid", "Al Jazeera", "Al Ameen",
        "Al Rawda", "Al Sahra",
    ),
    "chinese": (
        "华兴", "金源", "恒泰", "龙盛", "大丰", "海通", "富康", "安达", "鑫宇", "宏远", "瑞丰", "永盛", "天成", "中远", "华宇",
        "嘉和", "新华", "万通", "东方", "汇丰源", "鼎盛",
    ),
    "south_asian": (
        "Shree", "Lakshmi", "Ganesh", "Patel", "Sharma", "Agarwal", "Krishna", "Bharat", "Sagar",
        "Surya", "Om Sai", "Mehta", "Reliable", "Balaji", "Siddhi", "Ashoka", "Kaveri",
        "Hindustan", "Noor", "Karim",
    ),
    "se_asian": (
        "Jaya", "Sinar", "Mega", "Maju", "Abadi", "Sentosa", "Makmur", "Bintang", "Cahaya",
        "Sejahtera", "Mutiara", "Phuc Thanh", "Minh Long", "Hoang Gia", "Viet Hung", "Siam",
        "Chaiyo", "Sri", "Golden Lotus", "Mekong",
    ),
    "african": (
        "Umoja", "Baraka", "Adebayo", "Okafor", "Mensah", "Nkosi", "Kilimanjaro", "Savanna",
        "Sahel", "Zambezi", "Obi", "Kente", "Jambo", "Harambee", "Ubuntu", "Congo River", "Atlas",
        "Tamale", "Nile Star", "Afrique",
    ),
    "turkic": (
        "Yıldız", "Anadolu", "Ege", "Deniz", "Kaya", "Demir", "Altın", "Akdeniz", "Karadeniz",
        "Özdemir", "Toros", "Güneş", "Kartal", "Bosphorus", "Marmara", "Yılmaz",
    ),
    "east_asian": (
        "Sakura", "Fuji", "Yamato", "Nippon", "Daiichi", "Hanil", "Daehan", "Samhwa", "Mirae",
        "Hanbit", "Asahi", "Kaiyo", "Shinsei", "Taeyang", "Hikari",
    ),
}

#: Culture -> (given names, family names) for people.
PERSON_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "anglo": (
        (
            "James", "Robert", "Michael", "David", "Sarah", "Emily", "Thomas", "Laura", "Daniel",
            "Anna",
        ),
        (
            "Smith", "Johnson", "Brown", "Taylor", "Wilson", "Clarke", "Walker", "Wright", "Hall",
            "Young",
        ),
    ),
    "germanic": (
        (
            "Jan", "Pieter", "Lars", "Anna", "Sophie", "Klaus", "Stefan", "Ingrid", "Erik",
            "Maria",
        ),
        (
            "Müller", "Schmidt", "de Jong", "Bakker", "Jansen", "Andersson", "Larsen", "Fischer",
            "Meyer", "Wagner",
        ),
    ),
    "romance": (
        (
            "José", "María", "Luis", "Carlos", "Ana", "Giulia", "Marco", "Pierre", "Camille",
            "João",
        ),
        (
            "García", "Fernández", "López", "Martínez", "Rossi", "Ferrari", "Silva", "Pereira",
            "Dubois", "Bernard",
        ),
    ),
    "slavic": (
        (
            "Алексей", "Дмитрий", "Сергей", "Игорь", "Ольга", "Наталья", "Андрей", "Виктор",
            "Елена", "Юрий",
        ),
        (
            "Иванов", "Петров", "Смирнов", "Кузнецов", "Соколов", "Попов", "Лебедев", "Морозов",
            "Волков", "Федоров",
        ),
    ),
    "arabic": (
        (
            "Mohammed", "Ahmed", "Khalid", "Omar", "Yusuf", "Hassan", "Fatima", "Aisha",
            "Abdullah", "Layla",
        ),
        (
            "Al Mansour", "Al Rashid", "Haddad", "Khoury", "Al Hashimi", "Nasser", "Saleh",
            "Al Farsi", "Qasim", "Hamdan",
        ),
    ),
    "chinese": (
        (
            "伟", "芳", "敏", "静", "强", "磊", "军", "洋", "勇", "杰",
        ),
        (
            "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
        ),
    ),
    "south_asian": (
        (
            "Rajesh", "Amit", "Sunil", "Priya", "Anil", "Vikram", "Sanjay", "Neha", "Imran",
            "Karim",
        ),
        (
            "Patel", "Sharma", "Singh", "Kumar", "Gupta", "Shah", "Reddy", "Khan", "Iyer",
            "Chaudhry",
        ),
    ),
    "se_asian": (
        (
            "Budi", "Siti", "Agus", "Nguyen Van", "Tran Thi", "Somchai", "Ahmad", "Nur", "Dewi",
            "Minh",
        ),
        (
            "Santoso", "Wijaya", "Nguyen", "Tran", "Le", "Pham", "Tan", "Lim", "Rahman",
            "Suksawat",
        ),
    ),
    "african": (
        (
            "Kwame", "Amara", "Chinedu", "Fatou", "Thabo", "Aisha", "Emeka", "Grace", "Moses",
            "Zanele",
        ),
        (
            "Mensah", "Okafor", "Diallo", "Ndlovu", "Kamau", "Adeyemi", "Traoré", "Mwangi",
            "Banda", "Osei",
        ),
    ),
    "turkic": (
        (
            "Mehmet", "Ahmet", "Mustafa", "Ayşe", "Fatma", "Emre", "Burak", "Zeynep", "Murat",
            "Elif",
        ),
        (
            "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Aydın", "Öztürk", "Arslan",
            "Doğan",
        ),
    ),
    "east_asian": (
        (
            "Hiroshi", "Yuki", "Takeshi", "Min-jun", "Ji-woo", "Seo-yeon", "Kenji", "Akiko",
            "Jae-hyun", "Haruto",
        ),
        (
            "Sato", "Suzuki", "Takahashi", "Kim", "Lee", "Park", "Tanaka", "Watanabe", "Choi",
            "Yamamoto",
        ),
    ),
}
# fmt: on
