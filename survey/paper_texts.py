"""The printed texts around the questions (paper form) and the second-language part of the letters.

German is the source; a text missing in a language is printed in German. The questionnaire's own texts
come from its translation files. These are the developers' drafts, like the shipped translations; a
professional check is advised before fieldwork. The privacy notice (Art. 13 GDPR) stays German.
"""

from __future__ import annotations

from survey.languages import LANGUAGES

QUOTES = {"de": ("»", "«"), "de-LS": ("»", "«"), "pl": ("„", "”"), "cs": ("„", "“"), "en": ("“", "”"),
          "tr": ("“", "”"), "ru": ("«", "»"), "uk": ("«", "»"), "ar": ("«", "»")}

GERMAN = {
    "instructions": [
        "Bitte kreuzen Sie das zutreffende Kästchen deutlich an: ☒. Wenn nichts anderes dabeisteht, bitte nur "
        "ein Kreuz je Frage oder Zeile.",
        "Wenn Sie ein Kreuz korrigieren möchten, malen Sie das falsche Kästchen ganz aus und kreuzen Sie das "
        "richtige an.",
        "Zahlen tragen Sie bitte in die Kästchen ein. Hinter manchen Antworten steht ein Pfeil (→): dann geht es "
        "mit der genannten Frage weiter.",
        "Alle Angaben sind freiwillig. Wenn Sie eine Frage nicht beantworten möchten, lassen Sie sie aus.",
    ],
    "how_to": "So füllen Sie den Fragebogen aus",
    "page": "Seite {current} von {total}",
    "turn": "bitte blättern Sie um",
    "multi": "Mehrere Kreuze möglich.",
    "text_hint": "Bitte keine Namen oder Angaben, an denen man Sie oder andere erkennen kann.",
    "closing_heading": "Vielen Dank für Ihre Teilnahme!",
    "closing_text": "Bitte senden Sie den ausgefüllten Fragebogen im beiliegenden Rückumschlag zurück. Der "
                    "Fragebogen trägt keinen Namen und keine Nummer; niemand kann erkennen, wer ihn ausgefüllt hat.",
    "or": " oder ", "and": " und ",
    "condition": "bei Frage {number}{row} {labels}",
    "in_row": " in der Zeile {label}",
    "only_if": "Nur beantworten, wenn Sie {condition} angekreuzt haben.",
    "rows_from": "Bitte nur die Zeilen ausfüllen, bei denen Sie in Frage {number} {labels} angekreuzt haben.",
    "rows_hint": "Bitte nur die Zeilen ausfüllen, für die der Hinweis in der Zeile zutrifft.",
    "row_only": "nur wenn {condition}",
    "go_to": "weiter mit Frage {number}",
    "go_end": "weiter zum Ende des Fragebogens",
    "no_row": "Wenn Sie in keiner Zeile {labels} angekreuzt haben: {target}",
    # letters
    "available": "Den Fragebogen gibt es auch auf Deutsch.",
    "letter_intro": "Ihre Gemeinde möchte wissen, wie sicher Sie sich in {kommune} fühlen, was Ihnen Sorgen macht "
                    "und wo Sie Handlungsbedarf sehen. Ihre Teilnahme ist freiwillig und anonym.",
    "letter_code": "Ihr persönlicher Zugangscode",
    "letter_steps": "Bitte rufen Sie die Internetadresse auf und geben Sie dort Ihren Zugangscode ein.",
}

TRANSLATIONS: dict[str, dict] = {
    "de-LS": {"available": "Den Fragebogen gibt es auch in Leichter Sprache."},
    "en": {
        "instructions": [
            "Please tick the box that applies clearly: ☒. Unless stated otherwise, please tick only one box per "
            "question or row.",
            "If you want to correct a cross, fill in the wrong box completely and tick the right one.",
            "Please write numbers into the boxes. Some answers are followed by an arrow (→): then continue with "
            "the question named there.",
            "All answers are voluntary. If you do not want to answer a question, leave it out.",
        ],
        "how_to": "How to fill in the questionnaire", "page": "Page {current} of {total}", "turn": "please turn over",
        "multi": "Several crosses possible.",
        "text_hint": "Please do not give names or details by which you or others could be recognised.",
        "closing_heading": "Thank you very much for taking part!",
        "closing_text": "Please return the completed questionnaire in the enclosed reply envelope. The questionnaire "
                        "bears no name and no number; nobody can tell who filled it in.",
        "or": " or ", "and": " and ", "condition": "{labels} in question {number}{row}", "in_row": " in the row {label}",
        "only_if": "Only answer if you ticked {condition}.",
        "rows_from": "Please fill in only the rows for which you ticked {labels} in question {number}.",
        "rows_hint": "Please fill in only the rows whose note applies to you.", "row_only": "only if {condition}",
        "go_to": "continue with question {number}", "go_end": "continue to the end of the questionnaire",
        "no_row": "If you did not tick {labels} in any row: {target}",
        "available": "The questionnaire is also available in English.",
        "letter_intro": "Your municipality would like to know how safe you feel in {kommune}, what worries you and "
                        "where you see a need for action. Taking part is voluntary and anonymous.",
        "letter_code": "Your personal access code",
        "letter_steps": "Please go to the internet address and enter your access code there.",
    },
    "pl": {
        "instructions": [
            "Prosimy wyraźnie zaznaczyć właściwe pole: ☒. Jeśli nie podano inaczej, prosimy postawić tylko jeden "
            "krzyżyk przy każdym pytaniu lub wierszu.",
            "Aby poprawić krzyżyk, prosimy całkowicie zamalować błędne pole i zaznaczyć właściwe.",
            "Liczby prosimy wpisywać w kratki. Przy niektórych odpowiedziach jest strzałka (→): wtedy prosimy "
            "przejść do wskazanego pytania.",
            "Wszystkie odpowiedzi są dobrowolne. Jeśli nie chce Pan/Pani odpowiadać na pytanie, prosimy je pominąć.",
        ],
        "how_to": "Jak wypełnić ankietę", "page": "Strona {current} z {total}", "turn": "prosimy odwrócić stronę",
        "multi": "Można zaznaczyć kilka odpowiedzi.",
        "text_hint": "Prosimy nie podawać nazwisk ani informacji, po których można rozpoznać Pana/Panią lub inne osoby.",
        "closing_heading": "Dziękujemy za udział!",
        "closing_text": "Prosimy odesłać wypełnioną ankietę w załączonej kopercie zwrotnej. Ankieta nie zawiera "
                        "nazwiska ani numeru; nikt nie może ustalić, kto ją wypełnił.",
        "or": " lub ", "and": " i ", "condition": "{labels} w pytaniu {number}{row}", "in_row": " w wierszu {label}",
        "only_if": "Prosimy odpowiedzieć tylko wtedy, gdy zaznaczono {condition}.",
        "rows_from": "Prosimy wypełnić tylko wiersze, przy których w pytaniu {number} zaznaczono {labels}.",
        "rows_hint": "Prosimy wypełnić tylko wiersze, których dotyczy wskazówka w wierszu.",
        "row_only": "tylko jeśli {condition}", "go_to": "dalej pytanie {number}", "go_end": "dalej do końca ankiety",
        "no_row": "Jeśli w żadnym wierszu nie zaznaczono {labels}: {target}",
        "available": "Ankieta jest dostępna także po polsku.",
        "letter_intro": "Gmina chciałaby się dowiedzieć, jak bezpiecznie czuje się Pan/Pani w {kommune}, co Pana/Panią "
                        "niepokoi i gdzie widzi Pan/Pani potrzebę działania. Udział jest dobrowolny i anonimowy.",
        "letter_code": "Pana/Pani osobisty kod dostępu",
        "letter_steps": "Prosimy wejść na podany adres internetowy i wpisać tam swój kod dostępu.",
    },
    "cs": {
        "instructions": [
            "Zaškrtněte prosím zřetelně příslušné políčko: ☒. Pokud není uvedeno jinak, zaškrtněte prosím jen jedno "
            "políčko u každé otázky nebo řádku.",
            "Chcete-li křížek opravit, políčko s chybou celé začerněte a zaškrtněte správné.",
            "Čísla prosím zapisujte do políček. Za některými odpověďmi je šipka (→): pak pokračujte uvedenou otázkou.",
            "Všechny údaje jsou dobrovolné. Pokud na některou otázku nechcete odpovídat, vynechte ji.",
        ],
        "how_to": "Jak dotazník vyplnit", "page": "Strana {current} z {total}", "turn": "prosím otočte",
        "multi": "Možno zaškrtnout více odpovědí.",
        "text_hint": "Neuvádějte prosím jména ani údaje, podle kterých by bylo možné poznat Vás nebo jiné osoby.",
        "closing_heading": "Děkujeme Vám za účast!",
        "closing_text": "Vyplněný dotazník prosím vraťte v přiložené odpovědní obálce. Dotazník nenese jméno ani "
                        "číslo; nikdo nemůže zjistit, kdo ho vyplnil.",
        "or": " nebo ", "and": " a ", "condition": "{labels} u otázky {number}{row}", "in_row": " v řádku {label}",
        "only_if": "Odpovídejte jen tehdy, pokud jste zaškrtl(a) {condition}.",
        "rows_from": "Vyplňte prosím jen řádky, u kterých jste v otázce {number} zaškrtl(a) {labels}.",
        "rows_hint": "Vyplňte prosím jen řádky, na které se vztahuje poznámka v řádku.",
        "row_only": "jen pokud {condition}", "go_to": "pokračujte otázkou {number}", "go_end": "pokračujte na konec dotazníku",
        "no_row": "Pokud jste v žádném řádku nezaškrtl(a) {labels}: {target}",
        "available": "Dotazník je k dispozici také v češtině.",
        "letter_intro": "Vaše obec by ráda věděla, jak bezpečně se v {kommune} cítíte, co Vás znepokojuje a kde vidíte "
                        "potřebu jednat. Účast je dobrovolná a anonymní.",
        "letter_code": "Váš osobní přístupový kód",
        "letter_steps": "Otevřete prosím uvedenou internetovou adresu a zadejte tam svůj přístupový kód.",
    },
    "tr": {
        "instructions": [
            "Lütfen uygun kutuyu açıkça işaretleyin: ☒. Aksi belirtilmedikçe her soru veya satır için yalnızca bir "
            "işaret koyun.",
            "Bir işareti düzeltmek isterseniz, yanlış kutuyu tamamen karalayın ve doğru kutuyu işaretleyin.",
            "Sayıları lütfen kutulara yazın. Bazı cevapların arkasında bir ok (→) vardır: o zaman belirtilen soruyla "
            "devam edin.",
            "Tüm bilgiler gönüllüdür. Bir soruyu cevaplamak istemiyorsanız boş bırakın.",
        ],
        "text_hint": "Lütfen sizi veya başkalarını tanınır kılacak isim ya da bilgi yazmayın.",
        "rows_from": "Lütfen yalnızca {number}. soruda {labels} işaretlediğiniz satırları doldurun.",
        "rows_hint": "Lütfen yalnızca satırdaki notun geçerli olduğu satırları doldurun.",
        "row_only": "yalnızca {condition} ise", "no_row": "Hiçbir satırda {labels} işaretlemediyseniz: {target}",
        "how_to": "Anket nasıl doldurulur", "page": "Sayfa {current} / {total}", "turn": "lütfen sayfayı çevirin",
        "multi": "Birden fazla işaret mümkündür.", "closing_heading": "Katılımınız için çok teşekkür ederiz!",
        "closing_text": "Lütfen doldurduğunuz anketi ekteki cevap zarfıyla geri gönderin. Ankette isim veya numara "
                        "yoktur; kimin doldurduğunu kimse bilemez.",
        "or": " veya ", "and": " ve ", "condition": "{number}. soruda{row} {labels}", "in_row": " {label} satırında",
        "only_if": "Yalnızca {condition} işaretlediyseniz cevaplayın.", "go_to": "{number}. soruyla devam edin",
        "go_end": "anketin sonuna geçin",
        "available": "Anket Türkçe olarak da mevcuttur.",
        "letter_intro": "Belediyeniz {kommune} içinde kendinizi ne kadar güvende hissettiğinizi, sizi nelerin "
                        "endişelendirdiğini ve nerede önlem alınması gerektiğini düşündüğünüzü öğrenmek istiyor. "
                        "Katılım gönüllü ve anonimdir.",
        "letter_code": "Kişisel erişim kodunuz",
        "letter_steps": "Lütfen internet adresine gidin ve orada erişim kodunuzu girin.",
    },
    "ru": {
        "instructions": [
            "Пожалуйста, чётко отметьте подходящую клетку: ☒. Если не указано иное, ставьте только один крестик на "
            "вопрос или строку.",
            "Если вы хотите исправить крестик, полностью закрасьте неверную клетку и отметьте правильную.",
            "Числа, пожалуйста, вписывайте в клетки. После некоторых ответов стоит стрелка (→): тогда переходите к "
            "указанному вопросу.",
            "Все ответы добровольны. Если вы не хотите отвечать на вопрос, пропустите его.",
        ],
        "text_hint": "Пожалуйста, не указывайте имён или сведений, по которым можно узнать вас или других людей.",
        "rows_from": "Пожалуйста, заполняйте только строки, в которых вы отметили {labels} в вопросе {number}.",
        "rows_hint": "Пожалуйста, заполняйте только строки, к которым относится примечание в строке.",
        "row_only": "только если {condition}", "no_row": "Если вы ни в одной строке не отметили {labels}: {target}",
        "how_to": "Как заполнить анкету", "page": "Страница {current} из {total}", "turn": "пожалуйста, переверните",
        "multi": "Можно отметить несколько вариантов.", "closing_heading": "Большое спасибо за участие!",
        "closing_text": "Пожалуйста, отправьте заполненную анкету обратно в прилагаемом конверте. На анкете нет ни "
                        "имени, ни номера; никто не может узнать, кто её заполнил.",
        "or": " или ", "and": " и ", "condition": "{labels} в вопросе {number}{row}", "in_row": " в строке {label}",
        "only_if": "Отвечайте, только если вы отметили {condition}.", "go_to": "переходите к вопросу {number}",
        "go_end": "переходите к концу анкеты",
        "available": "Анкета есть и на русском языке.",
        "letter_intro": "Ваша община хочет узнать, насколько безопасно вы чувствуете себя в {kommune}, что вас "
                        "беспокоит и где, по-вашему, нужно действовать. Участие добровольное и анонимное.",
        "letter_code": "Ваш личный код доступа",
        "letter_steps": "Пожалуйста, откройте указанный интернет-адрес и введите там свой код доступа.",
    },
    "uk": {
        "instructions": [
            "Будь ласка, чітко позначте відповідну клітинку: ☒. Якщо не зазначено інше, ставте лише один хрестик на "
            "питання або рядок.",
            "Якщо ви хочете виправити хрестик, повністю зафарбуйте неправильну клітинку й позначте правильну.",
            "Числа, будь ласка, вписуйте в клітинки. Після деяких відповідей стоїть стрілка (→): тоді переходьте до "
            "зазначеного питання.",
            "Усі відповіді добровільні. Якщо ви не хочете відповідати на питання, пропустіть його.",
        ],
        "text_hint": "Будь ласка, не вказуйте імен або відомостей, за якими можна впізнати вас чи інших людей.",
        "rows_from": "Будь ласка, заповнюйте лише рядки, у яких ви позначили {labels} у питанні {number}.",
        "rows_hint": "Будь ласка, заповнюйте лише рядки, яких стосується примітка в рядку.",
        "row_only": "лише якщо {condition}", "no_row": "Якщо ви в жодному рядку не позначили {labels}: {target}",
        "how_to": "Як заповнити анкету", "page": "Сторінка {current} з {total}", "turn": "будь ласка, переверніть",
        "multi": "Можна позначити кілька варіантів.", "closing_heading": "Щиро дякуємо за участь!",
        "closing_text": "Будь ласка, надішліть заповнену анкету в доданому конверті. На анкеті немає ні імені, ні "
                        "номера; ніхто не може дізнатися, хто її заповнив.",
        "or": " або ", "and": " і ", "condition": "{labels} у питанні {number}{row}", "in_row": " у рядку {label}",
        "only_if": "Відповідайте, лише якщо ви позначили {condition}.", "go_to": "переходьте до питання {number}",
        "go_end": "переходьте до кінця анкети",
        "available": "Анкета є й українською мовою.",
        "letter_intro": "Ваша громада хоче дізнатися, наскільки безпечно ви почуваєтеся в {kommune}, що вас турбує і "
                        "де, на вашу думку, потрібно діяти. Участь добровільна й анонімна.",
        "letter_code": "Ваш особистий код доступу",
        "letter_steps": "Будь ласка, відкрийте вказану інтернет-адресу та введіть там свій код доступу.",
    },
    "ar": {
        "instructions": [
            "يرجى وضع علامة واضحة في المربع المناسب: ☒. ما لم يُذكر خلاف ذلك، يرجى وضع علامة واحدة فقط لكل سؤال أو سطر.",
            "إذا أردتم تصحيح علامة، فلوّنوا المربع الخاطئ بالكامل وضعوا العلامة في المربع الصحيح.",
            "يرجى كتابة الأرقام في المربعات. بعد بعض الإجابات يوجد سهم (→): عندها تابعوا بالسؤال المذكور.",
            "جميع الإجابات طوعية. إذا لم ترغبوا في الإجابة عن سؤال فاتركوه.",
        ],
        "how_to": "طريقة ملء الاستبيان", "page": "الصفحة {current} من {total}", "turn": "يرجى قلب الصفحة",
        "multi": "يمكن اختيار أكثر من إجابة.",
        "text_hint": "يرجى عدم ذكر أسماء أو معلومات يمكن من خلالها التعرف عليكم أو على غيركم.",
        "closing_heading": "شكرًا جزيلًا على مشاركتكم!",
        "closing_text": "يرجى إعادة الاستبيان بعد ملئه في ظرف الرد المرفق. لا يحمل الاستبيان اسمًا ولا رقمًا؛ لا يمكن "
                        "لأحد معرفة من ملأه.",
        "or": " أو ", "and": " و", "condition": "{labels} في السؤال {number}{row}", "in_row": " في السطر {label}",
        "only_if": "أجيبوا فقط إذا اخترتم {condition}.",
        "rows_from": "يرجى ملء الأسطر التي اخترتم فيها {labels} في السؤال {number} فقط.",
        "rows_hint": "يرجى ملء الأسطر التي تنطبق عليها الملاحظة في السطر فقط.", "row_only": "فقط إذا {condition}",
        "go_to": "تابعوا بالسؤال {number}", "go_end": "تابعوا إلى نهاية الاستبيان",
        "no_row": "إذا لم تختاروا {labels} في أي سطر: {target}",
        "available": "الاستبيان متوفر أيضًا باللغة العربية.",
        "letter_intro": "تريد بلديتكم أن تعرف مدى شعوركم بالأمان في {kommune}، وما الذي يقلقكم، وأين ترون حاجة إلى "
                        "التحرك. المشاركة طوعية ومجهولة الهوية.",
        "letter_code": "رمز الدخول الشخصي الخاص بكم",
        "letter_steps": "يرجى فتح عنوان الإنترنت وإدخال رمز الدخول الخاص بكم هناك.",
    },
}


class PaperTexts:
    """The printed texts in one language (German for what is missing)."""

    def __init__(self, code: str):
        self.code = code
        self.language = LANGUAGES[code]
        self._own = TRANSLATIONS.get(code, {})

    def has(self, key: str) -> bool:
        return key in self._own or self.language.html_lang == "de"

    def get(self, key: str, **values: object):
        text = self._own.get(key, GERMAN[key])
        return text.format(**values) if isinstance(text, str) else list(text)

    def quote(self, text: str) -> str:
        opening, closing = QUOTES.get(self.code, QUOTES["de"])
        return f"{opening}{text}{closing}"

    def either(self, names: list[str]) -> str:
        """``»a«, »b« oder »c«``."""
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + self.get("or") + names[-1]


def paper_texts(code: str) -> PaperTexts:
    return PaperTexts(code)
