"""Russian names for the demo city: first names, patronymics, surnames, logins.

Everyone in the demo is a random combination of common names, so no real person is
described. Adults and children draw first names from different lists because the
popular names of the 1980s and of the 2010s differ.
"""

MALE_ADULT_NAMES = (
    "Александр Алексей Андрей Антон Борис Вадим Василий Виктор Владимир Глеб "
    "Григорий Дмитрий Евгений Игорь Илья Кирилл Константин Лев Максим Михаил "
    "Никита Николай Олег Павел Пётр Роман Сергей Станислав Юрий Ярослав"
).split()
FEMALE_ADULT_NAMES = (
    "Алла Анастасия Анна Валентина Вера Виктория Галина Дарья Евгения Екатерина "
    "Елена Жанна Ирина Ксения Лариса Любовь Людмила Марина Мария Надежда Наталья "
    "Нина Оксана Ольга Светлана Татьяна Юлия"
).split()
MALE_CHILD_NAMES = (
    "Александр Алексей Арсений Артём Богдан Владимир Глеб Даниил Денис Дмитрий "
    "Егор Захар Иван Илья Кирилл Лев Марк Матвей Максим Михаил Никита Платон "
    "Роман Савелий Степан Тимофей Фёдор Ярослав"
).split()
FEMALE_CHILD_NAMES = (
    "Алиса Алёна Анастасия Анна Арина Варвара Василиса Вероника Виктория Дарья "
    "Ева Екатерина Елизавета Злата Кира Ксения Мария Милана Полина София "
    "Стефания Таисия Ульяна Яна"
).split()

# Masculine forms; feminine_surname() derives the women's forms.
SURNAMES = (
    "Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков "
    "Фёдоров Морозов Волков Алексеев Лебедев Семёнов Егоров Павлов Козлов "
    "Степанов Николаев Орлов Андреев Макаров Никитин Захаров Зайцев Соловьёв "
    "Борисов Яковлев Григорьев Романов Воробьёв Сергеев Кузьмин Фролов "
    "Александров Дмитриев Королёв Гусев Киселёв Ильин Максимов Поляков Сорокин "
    "Виноградов Ковалёв Белов Медведев Антонов Тарасов Жуков Баранов Филиппов "
    "Комаров Давыдов Беляев Герасимов Богданов Осипов Сидоров Матвеев Титов "
    "Марков Миронов Крылов Куликов Карпов Власов Мельников Денисов Гаврилов "
    "Тихонов Казаков Афанасьев Данилов Савельев Тимофеев Фомин Чернов Абрамов "
    "Мартынов Ефимов Федотов Щербаков Назаров Калинин Исаев Быков Маслов "
    "Родионов Коновалов Лазарев Воронин Климов Филатов Голубев Кудрявцев "
    "Прохоров Наумов Журавлёв Трофимов Леонов Соболев Ермаков Колесников "
    "Гончаров Емельянов Никифоров Грачёв Котов Гришин Архипов Громов Кириллов "
    "Малышев Панов Румянцев Акимов Горбунов Галкин Лукьянов Скворцов Юдин "
    "Белоусов Нестеров Симонов Цветков Логинов Горшков Савин Краснов Рыбаков "
    "Покровский Успенский Никольский Знаменский Троицкий Введенский Смоленский "
    "Вознесенский Богородский Белецкий Рождественский Преображенский"
).split()

# Fathers' names whose patronymics do not follow the regular endings.
_IRREGULAR_PATRONYMICS = {
    "Дмитрий": ("Дмитриевич", "Дмитриевна"),
    "Илья": ("Ильич", "Ильинична"),
    "Лев": ("Львович", "Львовна"),
    "Михаил": ("Михайлович", "Михайловна"),
    "Никита": ("Никитич", "Никитична"),
    "Павел": ("Павлович", "Павловна"),
    "Пётр": ("Петрович", "Петровна"),
}


def patronymic(father: str, *, female: bool) -> str:
    """The patronymic a child of `father` bears: Сергей → Сергеевич / Сергеевна."""
    if father in _IRREGULAR_PATRONYMICS:
        return _IRREGULAR_PATRONYMICS[father][female]
    if father.endswith("ий"):  # Юрий → Юрьевич, Василий → Васильевич
        stem = father[:-2] + "ьев"
    elif father.endswith(("й", "ь")):  # Андрей → Андреевич, Игорь → Игоревич
        stem = father[:-1] + "ев"
    else:
        stem = father + "ов"
    return stem + ("на" if female else "ич")


def feminine_surname(surname: str) -> str:
    """Иванов → Иванова, Ильин → Ильина, Покровский → Покровская."""
    for ending, feminine in (("ский", "ская"), ("цкий", "цкая"), ("ой", "ая")):
        if surname.endswith(ending):
            return surname[: -len(ending)] + feminine
    if surname.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return surname + "а"
    return surname


_CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_LATIN_LETTERS = (
    "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya"
)
_LATIN = dict(zip(_CYRILLIC, _LATIN_LETTERS.split(), strict=True))


def transliterate(text: str) -> str:
    """Latin letters for a login: Журавлёв → zhuravlev (hard and soft signs drop)."""
    letters = (_LATIN.get(char, char) for char in text.lower())
    return "".join(letter for letter in letters if letter != "-")
