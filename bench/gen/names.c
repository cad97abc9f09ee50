/* Reference data: nationalities, names of persons and companies, banks. */
#include "bench/gen/gen.h"

/* In ascending numeric code, which is the QIDs' sort order. */
const struct nationality nats[] = {
	{ "BGD", "050", 130, R_SOUTH_ASIA,  "en", 'B' },
	{ "LKA", "144",  50, R_SOUTH_ASIA,  "en", 'N' },
	{ "IND", "356", 280, R_SOUTH_ASIA,  "en", 'Z' },
	{ "JOR", "400",  30, R_ARAB,        "ar", 'J' },
	{ "KEN", "404",  30, R_EAST_AFRICA, "en", 'A' },
	{ "NPL", "524", 120, R_SOUTH_ASIA,  "en", 'P' },
	{ "PAK", "586",  90, R_SOUTH_ASIA,  "en", 'K' },
	{ "PHL", "608", 100, R_PHILIPPINES, "en", 'P' },
	{ "QAT", "634",  50, R_QATAR,       "ar", 'Q' },
	{ "SDN", "729",  30, R_ARAB,        "ar", 'S' },
	{ "EGY", "818",  90, R_ARAB,        "ar", 'A' },
};

const struct name given[R__MAX][12] = {
	[R_SOUTH_ASIA] = {
		{ "Rajesh", "راجيش" }, { "Sunil", "سونيل" }, { "Abdul", "عبد" },
		{ "Mohammed", "محمد" }, { "Ramesh", "راميش" }, { "Priya", "بريا" },
		{ "Anil", "أنيل" }, { "Imran", "عمران" }, { "Bikash", "بيكاش" },
		{ "Kamal", "كمال" }, { "Suresh", "سوريش" }, { "Farhana", "فرحانة" },
	},
	[R_PHILIPPINES] = {
		{ "Jose", "خوسيه" }, { "Maria", "ماريا" }, { "Mark", "مارك" },
		{ "Angelica", "أنجليكا" }, { "John", "جون" }, { "Grace", "غريس" },
		{ "Ramon", "رامون" }, { "Cristina", "كريستينا" }, { "Paolo", "باولو" },
		{ "Joy", "جوي" }, { "Rodel", "روديل" }, { "Liza", "ليزا" },
	},
	[R_ARAB] = {
		{ "Ahmed", "أحمد" }, { "Mahmoud", "محمود" }, { "Omar", "عمر" },
		{ "Fatima", "فاطمة" }, { "Youssef", "يوسف" }, { "Mona", "منى" },
		{ "Khaled", "خالد" }, { "Hassan", "حسن" }, { "Nour", "نور" },
		{ "Tarek", "طارق" }, { "Rania", "رانيا" }, { "Ibrahim", "إبراهيم" },
	},
	[R_EAST_AFRICA] = {
		{ "Peter", "بيتر" }, { "Grace", "غريس" }, { "Joseph", "جوزيف" },
		{ "Mary", "ماري" }, { "David", "ديفيد" }, { "Faith", "فيث" },
		{ "Samuel", "صموئيل" }, { "Esther", "إستر" }, { "Daniel", "دانيال" },
		{ "Ruth", "روث" }, { "Brian", "براين" }, { "Mercy", "ميرسي" },
	},
	[R_QATAR] = {
		{ "Mohammed", "محمد" }, { "Abdullah", "عبدالله" }, { "Hamad", "حمد" },
		{ "Khalifa", "خليفة" }, { "Noora", "نورة" }, { "Jassim", "جاسم" },
		{ "Maryam", "مريم" }, { "Ali", "علي" }, { "Fahad", "فهد" },
		{ "Aisha", "عائشة" }, { "Tamim", "تميم" }, { "Sheikha", "شيخة" },
	},
};

const struct name family[R__MAX][12] = {
	[R_SOUTH_ASIA] = {
		{ "Kumar", "كومار" }, { "Sharma", "شارما" }, { "Khan", "خان" },
		{ "Hossain", "حسين" }, { "Rahman", "رحمن" }, { "Thapa", "ثابا" },
		{ "Gurung", "غورونغ" }, { "Perera", "بيريرا" }, { "Nair", "ناير" },
		{ "Ahmed", "أحمد" }, { "Singh", "سينغ" }, { "Fernando", "فرناندو" },
	},
	[R_PHILIPPINES] = {
		{ "Santos", "سانتوس" }, { "Reyes", "رييس" }, { "Cruz", "كروز" },
		{ "Bautista", "باوتيستا" }, { "Garcia", "غارسيا" }, { "Mendoza", "ميندوزا" },
		{ "Torres", "توريس" }, { "Flores", "فلوريس" }, { "Ramos", "راموس" },
		{ "Aquino", "أكينو" }, { "Castillo", "كاستيو" }, { "Villanueva", "فيانويفا" },
	},
	[R_ARAB] = {
		{ "Mahmoud", "محمود" }, { "Haddad", "حداد" }, { "Ibrahim", "إبراهيم" },
		{ "Saleh", "صالح" }, { "Mostafa", "مصطفى" }, { "Nasser", "ناصر" },
		{ "Abdelrahman", "عبدالرحمن" }, { "Khalil", "خليل" }, { "Osman", "عثمان" },
		{ "Yousef", "يوسف" }, { "Hamdan", "حمدان" }, { "Fathi", "فتحي" },
	},
	[R_EAST_AFRICA] = {
		{ "Otieno", "أوتينو" }, { "Wanjiru", "وانجيرو" }, { "Kamau", "كاماو" },
		{ "Mwangi", "موانغي" }, { "Ochieng", "أوتشينغ" }, { "Njoroge", "نجوروغي" },
		{ "Kiprop", "كيبروب" }, { "Achieng", "أتشينغ" }, { "Mutua", "موتوا" },
		{ "Wafula", "وافولا" }, { "Chebet", "شيبيت" }, { "Odhiambo", "أوديامبو" },
	},
	[R_QATAR] = {
		{ "Al-Thani", "آل ثاني" }, { "Al-Kuwari", "الكواري" }, { "Al-Marri", "المري" },
		{ "Al-Hajri", "الهاجري" }, { "Al-Naimi", "النعيمي" }, { "Al-Sulaiti", "السليطي" },
		{ "Al-Mohannadi", "المهندي" }, { "Al-Kaabi", "الكعبي" }, { "Al-Emadi", "العمادي" },
		{ "Al-Muhannadi", "المهنادي" }, { "Al-Ansari", "الأنصاري" }, { "Al-Khulaifi", "الخليفي" },
	},
};

const struct name company_word[] = {
	{ "Al Noor", "النور" }, { "Doha", "الدوحة" }, { "Al Wakra", "الوكرة" },
	{ "Lusail", "لوسيل" }, { "Al Khor", "الخور" }, { "Pearl", "اللؤلؤة" },
	{ "Gulf", "الخليج" }, { "Al Rayyan", "الريان" }, { "Falcon", "الصقر" },
	{ "Oasis", "الواحة" }, { "Al Sadd", "السد" }, { "Dunes", "الكثبان" },
	{ "Corniche", "الكورنيش" }, { "Al Bidda", "البدع" }, { "Mesaieed", "مسيعيد" },
	{ "Dukhan", "دخان" },
};

const struct name company_trade[] = {
	{ "Contracting", "للمقاولات" }, { "Trading", "للتجارة" },
	{ "Facilities Management", "لإدارة المرافق" }, { "Engineering", "للهندسة" },
	{ "Hospitality", "للضيافة" }, { "Logistics", "للخدمات اللوجستية" },
	{ "Cleaning Services", "لخدمات التنظيف" }, { "Security Services", "للخدمات الأمنية" },
	{ "Restaurants", "للمطاعم" }, { "Transport", "للنقل" },
	{ "Steel Works", "لأعمال الحديد" }, { "Medical Services", "للخدمات الطبية" },
};

const char *const banks[] = {
	"QNBA", "CBQA", "DOHB", "QIIB", "QISB", "ABQQ", "MSHQ", "KLJI",
};
