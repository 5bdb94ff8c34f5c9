"""The web form's own texts (buttons, progress, hints, start and end pages) in the questionnaire languages.

The questionnaire's texts come from its translation files (:mod:`survey.questionnaire.translations`); these
are the few texts of the form around them. German is the source; a text missing in a language is shown in
German and marked ``lang="de"`` (:meth:`UiTexts.text` returns markup then). Validation messages, the
privacy notice (Art. 13 GDPR, a legal text) and the coach pages stay German. Like the questionnaire
translations, these are the developers' drafts; a professional check is advised before fieldwork.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from survey.languages import LANGUAGES, Language

GERMAN = {
    "skip": "Zum Inhalt springen",
    "brand": "Bürgerbefragung",
    "footer": "Ihre Antworten werden ohne Verbindung zu Ihrem Zugangscode gespeichert. Es werden keine "
              "IP-Adressen gespeichert. Diese Seiten funktionieren ohne JavaScript.",
    "privacy_link": "Datenschutzhinweise",
    "error": "Fehler:",
    "page_of": "Seite {current} von {total}",
    "check_one": "Bitte prüfen Sie Ihre Angabe",
    "check_many": "Bitte prüfen Sie Ihre Angaben",
    "check_input": "Bitte prüfen Sie Ihre Eingabe",
    "next": "Weiter",
    "back": "Zurück",
    "save": "Speichern und später weitermachen",
    "question": "Frage {number}",
    "year_hint": "Bitte vierstellig, zum Beispiel 1970.",
    "text_hint": "Bitte keine Namen oder Angaben, an denen man Sie oder andere erkennen kann.",
    "resume": "Sie haben den Fragebogen in diesem Browser begonnen.",
    "resume_link": "Fragebogen fortsetzen",
    "code_label": "Ihr Zugangscode",
    "code_hint": "Sie finden den Code in Ihrem Anschreiben, zum Beispiel {example}. Groß- und Kleinschreibung "
                 "spielt keine Rolle.",
    "begin": "Befragung beginnen",
    "voluntary": "Die Teilnahme ist freiwillig. Sie können jede Frage überspringen, unterbrechen und später mit "
                 "demselben Code weitermachen.",
    "privacy": "Datenschutz",
    "privacy_read": "Datenschutzhinweise nach Art. 13 DSGVO lesen",
    "send_title": "Absenden",
    "almost": "Fast geschafft",
    "answered": "Sie haben {answered} von {total} Fragen beantwortet.",
    "final": "Mit »Antworten absenden« werden Ihre Antworten endgültig gespeichert und Ihr Zugangscode wird "
             "ungültig. Danach können die Antworten nicht mehr geändert werden.",
    "submit": "Antworten absenden",
    "back_last": "Zurück zur letzten Seite",
    "thanks": "Vielen Dank!",
    "thanks_1": "Ihre Antworten sind gespeichert. Sie wurden ohne Verbindung zu Ihrem Zugangscode abgelegt, und "
                "der Code wurde gelöscht; niemand kann erkennen, wer was geantwortet hat.",
    "thanks_2": "Die Ergebnisse der Befragung werden veröffentlicht, sobald die Auswertung abgeschlossen ist. Sie "
                "können dieses Fenster jetzt schließen.",
    "saved": "Ihre Angaben sind gespeichert",
    "saved_1": "Sie können den Fragebogen später fortsetzen: Geben Sie dazu auf der Startseite wieder den "
               "Zugangscode aus Ihrem Anschreiben ein. Ihre bisherigen Antworten sind dann wieder da; sie sind mit "
               "Ihrem Zugangscode verschlüsselt gespeichert.",
    "saved_2": "Ihre Antworten zählen erst, wenn Sie den Fragebogen am Ende abschicken.",
    "to_start": "Zur Startseite",
    "languages": "Sprache",
}

TRANSLATIONS: dict[str, dict[str, str]] = {
    "en": {
        "skip": "Skip to content", "brand": "Residents' survey",
        "footer": "Your answers are stored without any link to your access code. No IP addresses are stored. "
                  "These pages work without JavaScript.",
        "privacy_link": "Privacy notice", "error": "Error:", "page_of": "Page {current} of {total}",
        "check_one": "Please check your answer", "check_many": "Please check your answers",
        "check_input": "Please check your entry", "next": "Next", "back": "Back",
        "save": "Save and continue later", "question": "Question {number}",
        "year_hint": "Please use four digits, for example 1970.",
        "text_hint": "Please do not give names or details by which you or others could be recognised.",
        "resume": "You have started the questionnaire in this browser.", "resume_link": "Continue the questionnaire",
        "code_label": "Your access code",
        "code_hint": "You will find the code in your letter, for example {example}. Upper and lower case do not matter.",
        "begin": "Start the survey",
        "voluntary": "Taking part is voluntary. You can skip any question, take a break and continue later with "
                     "the same code.",
        "privacy": "Data protection", "privacy_read": "Read the privacy notice under Art. 13 GDPR (in German)",
        "send_title": "Submit", "almost": "Almost done", "answered": "You have answered {answered} of {total} questions.",
        "final": "»Submit answers« stores your answers for good and your access code becomes invalid. After that, "
                 "the answers can no longer be changed.",
        "submit": "Submit answers", "back_last": "Back to the last page", "thanks": "Thank you very much!",
        "thanks_1": "Your answers have been stored. They were filed without any link to your access code, and the "
                    "code was deleted; nobody can tell who answered what.",
        "thanks_2": "The results of the survey will be published once the analysis is complete. You can close this "
                    "window now.",
        "saved": "Your answers have been saved",
        "saved_1": "You can continue the questionnaire later: enter the access code from your letter on the start "
                   "page again. Your previous answers will then be back; they are stored encrypted with your "
                   "access code.",
        "saved_2": "Your answers only count once you submit the questionnaire at the end.",
        "to_start": "To the start page", "languages": "Language",
    },
    "pl": {
        "skip": "Przejdź do treści", "brand": "Ankieta mieszkańców",
        "footer": "Pana/Pani odpowiedzi są zapisywane bez powiązania z kodem dostępu. Adresy IP nie są "
                  "zapisywane. Te strony działają bez JavaScriptu.",
        "privacy_link": "Informacja o ochronie danych", "error": "Błąd:", "page_of": "Strona {current} z {total}",
        "check_one": "Prosimy sprawdzić odpowiedź", "check_many": "Prosimy sprawdzić odpowiedzi",
        "check_input": "Prosimy sprawdzić wpis", "next": "Dalej", "back": "Wstecz",
        "save": "Zapisz i kontynuuj później", "question": "Pytanie {number}",
        "year_hint": "Prosimy podać cztery cyfry, na przykład 1970.",
        "text_hint": "Prosimy nie podawać nazwisk ani informacji, po których można rozpoznać Pana/Panią lub inne osoby.",
        "resume": "Rozpoczął/Rozpoczęła Pan/Pani ankietę w tej przeglądarce.", "resume_link": "Kontynuuj ankietę",
        "code_label": "Pana/Pani kod dostępu",
        "code_hint": "Kod znajduje się w liście, na przykład {example}. Wielkość liter nie ma znaczenia.",
        "begin": "Rozpocznij ankietę",
        "voluntary": "Udział jest dobrowolny. Można pominąć każde pytanie, przerwać i kontynuować później z tym "
                     "samym kodem.",
        "privacy": "Ochrona danych", "privacy_read": "Informacja o ochronie danych zgodnie z art. 13 RODO (po niemiecku)",
        "send_title": "Wysyłanie", "almost": "Prawie gotowe",
        "answered": "Odpowiedział(a) Pan/Pani na {answered} z {total} pytań.",
        "final": "Przycisk »Wyślij odpowiedzi« ostatecznie zapisuje odpowiedzi, a kod dostępu traci ważność. "
                 "Potem odpowiedzi nie można już zmienić.",
        "submit": "Wyślij odpowiedzi", "back_last": "Wróć do ostatniej strony", "thanks": "Serdecznie dziękujemy!",
        "thanks_1": "Odpowiedzi zostały zapisane bez powiązania z kodem dostępu, a kod został usunięty; nikt nie "
                    "może ustalić, kto co odpowiedział.",
        "thanks_2": "Wyniki ankiety zostaną opublikowane po zakończeniu analizy. Można teraz zamknąć to okno.",
        "saved": "Odpowiedzi zostały zapisane",
        "saved_1": "Ankietę można kontynuować później: wystarczy ponownie wpisać na stronie startowej kod dostępu "
                   "z listu. Dotychczasowe odpowiedzi będą wtedy dostępne; są zapisane w postaci zaszyfrowanej "
                   "kodem dostępu.",
        "saved_2": "Odpowiedzi liczą się dopiero po wysłaniu ankiety na końcu.",
        "to_start": "Do strony startowej", "languages": "Język",
    },
    "cs": {
        "skip": "Přejít na obsah", "brand": "Průzkum mezi obyvateli",
        "footer": "Vaše odpovědi se ukládají bez spojení s Vaším přístupovým kódem. IP adresy se neukládají. "
                  "Tyto stránky fungují bez JavaScriptu.",
        "privacy_link": "Informace o ochraně osobních údajů", "error": "Chyba:",
        "page_of": "Strana {current} z {total}", "check_one": "Zkontrolujte prosím svou odpověď",
        "check_many": "Zkontrolujte prosím své odpovědi", "check_input": "Zkontrolujte prosím zadání",
        "next": "Dále", "back": "Zpět", "save": "Uložit a pokračovat později", "question": "Otázka {number}",
        "year_hint": "Prosím čtyřmi číslicemi, například 1970.",
        "text_hint": "Neuvádějte prosím jména ani údaje, podle kterých by bylo možné poznat Vás nebo jiné osoby.",
        "resume": "Dotazník jste v tomto prohlížeči již začal(a) vyplňovat.", "resume_link": "Pokračovat v dotazníku",
        "code_label": "Váš přístupový kód",
        "code_hint": "Kód najdete ve svém dopise, například {example}. Na velikosti písmen nezáleží.",
        "begin": "Zahájit průzkum",
        "voluntary": "Účast je dobrovolná. Kteroukoli otázku můžete přeskočit, přerušit a pokračovat později se "
                     "stejným kódem.",
        "privacy": "Ochrana osobních údajů",
        "privacy_read": "Informace o ochraně osobních údajů podle čl. 13 GDPR (německy)",
        "send_title": "Odeslání", "almost": "Téměř hotovo", "answered": "Odpověděl(a) jste na {answered} z {total} otázek.",
        "final": "Tlačítkem »Odeslat odpovědi« se Vaše odpovědi definitivně uloží a Váš přístupový kód přestane "
                 "platit. Poté již odpovědi nelze změnit.",
        "submit": "Odeslat odpovědi", "back_last": "Zpět na poslední stranu", "thanks": "Srdečně děkujeme!",
        "thanks_1": "Vaše odpovědi jsou uloženy bez spojení s Vaším přístupovým kódem a kód byl smazán; nikdo "
                    "nemůže zjistit, kdo co odpověděl.",
        "thanks_2": "Výsledky průzkumu budou zveřejněny po dokončení vyhodnocení. Nyní můžete toto okno zavřít.",
        "saved": "Vaše odpovědi jsou uloženy",
        "saved_1": "V dotazníku můžete pokračovat později: na úvodní stránce znovu zadejte přístupový kód ze "
                   "svého dopisu. Vaše dosavadní odpovědi pak budou opět k dispozici; jsou uloženy zašifrované "
                   "Vaším přístupovým kódem.",
        "saved_2": "Vaše odpovědi se počítají až poté, co dotazník na konci odešlete.",
        "to_start": "Na úvodní stránku", "languages": "Jazyk",
    },
    "tr": {
        "skip": "İçeriğe geç", "brand": "Vatandaş anketi", "privacy_link": "Veri koruma bilgileri", "error": "Hata:",
        "page_of": "Sayfa {current} / {total}", "check_one": "Lütfen cevabınızı kontrol edin",
        "check_many": "Lütfen cevaplarınızı kontrol edin", "check_input": "Lütfen girişinizi kontrol edin",
        "next": "İleri", "back": "Geri", "save": "Kaydet ve daha sonra devam et", "question": "Soru {number}",
        "year_hint": "Lütfen dört haneli yazın, örneğin 1970.",
        "code_label": "Erişim kodunuz",
        "code_hint": "Kodu mektubunuzda bulabilirsiniz, örneğin {example}. Büyük veya küçük harf fark etmez.",
        "begin": "Ankete başla", "privacy": "Veri koruma", "send_title": "Gönder", "almost": "Neredeyse bitti",
        "answered": "{total} sorudan {answered} tanesini cevapladınız.", "submit": "Cevapları gönder",
        "back_last": "Son sayfaya dön", "thanks": "Çok teşekkür ederiz!", "saved": "Cevaplarınız kaydedildi",
        "to_start": "Başlangıç sayfasına", "languages": "Dil",
    },
    "ru": {
        "skip": "Перейти к содержанию", "brand": "Опрос жителей", "privacy_link": "Информация о защите данных",
        "error": "Ошибка:", "page_of": "Страница {current} из {total}", "check_one": "Пожалуйста, проверьте ответ",
        "check_many": "Пожалуйста, проверьте ответы", "check_input": "Пожалуйста, проверьте ввод",
        "next": "Далее", "back": "Назад", "save": "Сохранить и продолжить позже", "question": "Вопрос {number}",
        "year_hint": "Пожалуйста, четырьмя цифрами, например 1970.", "code_label": "Ваш код доступа",
        "code_hint": "Код указан в вашем письме, например {example}. Регистр букв не имеет значения.",
        "begin": "Начать опрос", "privacy": "Защита данных", "send_title": "Отправка", "almost": "Почти готово",
        "answered": "Вы ответили на {answered} из {total} вопросов.", "submit": "Отправить ответы",
        "back_last": "Назад к последней странице", "thanks": "Большое спасибо!", "saved": "Ваши ответы сохранены",
        "to_start": "На начальную страницу", "languages": "Язык",
    },
    "uk": {
        "skip": "Перейти до змісту", "brand": "Опитування мешканців", "privacy_link": "Інформація про захист даних",
        "error": "Помилка:", "page_of": "Сторінка {current} з {total}", "check_one": "Будь ласка, перевірте відповідь",
        "check_many": "Будь ласка, перевірте відповіді", "check_input": "Будь ласка, перевірте введене",
        "next": "Далі", "back": "Назад", "save": "Зберегти й продовжити пізніше", "question": "Питання {number}",
        "year_hint": "Будь ласка, чотирма цифрами, наприклад 1970.", "code_label": "Ваш код доступу",
        "code_hint": "Код зазначено у вашому листі, наприклад {example}. Регістр літер не має значення.",
        "begin": "Почати опитування", "privacy": "Захист даних", "send_title": "Надсилання",
        "almost": "Майже готово", "answered": "Ви відповіли на {answered} з {total} питань.",
        "submit": "Надіслати відповіді", "back_last": "Назад до останньої сторінки", "thanks": "Щиро дякуємо!",
        "saved": "Ваші відповіді збережено", "to_start": "На початкову сторінку", "languages": "Мова",
    },
    "ar": {
        "skip": "انتقل إلى المحتوى", "brand": "استطلاع رأي السكان",
        "footer": "تُحفظ إجاباتكم دون أي ربط برمز الدخول الخاص بكم. لا تُحفظ عناوين IP. تعمل هذه الصفحات دون "
                  "JavaScript.",
        "privacy_link": "معلومات حماية البيانات", "error": "خطأ:", "page_of": "الصفحة {current} من {total}",
        "check_one": "يرجى التحقق من إجابتكم", "check_many": "يرجى التحقق من إجاباتكم",
        "check_input": "يرجى التحقق من إدخالكم", "next": "التالي", "back": "السابق",
        "save": "حفظ والمتابعة لاحقًا", "question": "السؤال {number}",
        "year_hint": "يرجى الكتابة بأربعة أرقام، مثلًا 1970.",
        "text_hint": "يرجى عدم ذكر أسماء أو معلومات يمكن من خلالها التعرف عليكم أو على غيركم.",
        "resume": "لقد بدأتم الاستبيان في هذا المتصفح.", "resume_link": "متابعة الاستبيان",
        "code_label": "رمز الدخول الخاص بكم",
        "code_hint": "تجدون الرمز في رسالتكم، مثلًا {example}. لا فرق بين الأحرف الكبيرة والصغيرة.",
        "begin": "بدء الاستطلاع",
        "voluntary": "المشاركة طوعية. يمكنكم تخطي أي سؤال، والتوقف والمتابعة لاحقًا بالرمز نفسه.",
        "privacy": "حماية البيانات", "privacy_read": "قراءة معلومات حماية البيانات وفق المادة 13 من اللائحة العامة لحماية البيانات (بالألمانية)",
        "send_title": "الإرسال", "almost": "أوشكتم على الانتهاء",
        "answered": "لقد أجبتم عن {answered} من أصل {total} سؤالًا.",
        "final": "بالضغط على »إرسال الإجابات« تُحفظ إجاباتكم نهائيًا ويصبح رمز الدخول غير صالح. بعد ذلك لا يمكن "
                 "تغيير الإجابات.",
        "submit": "إرسال الإجابات", "back_last": "العودة إلى الصفحة الأخيرة", "thanks": "شكرًا جزيلًا!",
        "thanks_1": "تم حفظ إجاباتكم دون أي ربط برمز الدخول، وتم حذف الرمز؛ لا يمكن لأحد معرفة من أجاب بماذا.",
        "thanks_2": "ستُنشر نتائج الاستطلاع بعد انتهاء التحليل. يمكنكم الآن إغلاق هذه النافذة.",
        "saved": "تم حفظ إجاباتكم",
        "saved_1": "يمكنكم متابعة الاستبيان لاحقًا: أدخلوا مرة أخرى رمز الدخول من رسالتكم في صفحة البداية. "
                   "ستجدون إجاباتكم السابقة محفوظة ومشفرة برمز الدخول الخاص بكم.",
        "saved_2": "لا تُحتسب إجاباتكم إلا بعد إرسال الاستبيان في النهاية.",
        "to_start": "إلى صفحة البداية", "languages": "اللغة",
    },
}


@dataclass(frozen=True)
class UiTexts:
    """The form's texts in one language (German where a text is missing, then marked ``lang="de"``)."""

    language: Language

    @property
    def lang(self) -> str:
        return self.language.html_lang

    @property
    def dir(self) -> str:
        return self.language.direction

    @property
    def german_page(self) -> bool:
        return self.language.html_lang == "de"

    def plain(self, key: str, **values: object) -> tuple[str, bool]:
        """(text, whether it is the German fallback)."""
        own = TRANSLATIONS.get(self.language.code, {}).get(key)
        text = own if own is not None else GERMAN[key]
        return text.format(**values), own is None and not self.german_page

    def text(self, key: str, **values: object) -> Markup:
        text, fallback = self.plain(key, **values)
        if fallback:
            return Markup('<span lang="de">{}</span>').format(text)
        return escape(text)

    def german(self, text: str) -> Markup:
        """A German text on this page (validation messages, legal texts), marked as German if needed."""
        if self.german_page:
            return escape(text)
        return Markup('<span lang="de">{}</span>').format(text)


def ui_texts(code: str) -> UiTexts:
    return UiTexts(LANGUAGES[code])
