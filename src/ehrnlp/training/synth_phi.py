"""Invented identifiers for the synthetic training notes (training only, never shipped as output).

The lists are deliberately different from the fill values of the PHI gold builder
(:mod:`ehrnlp.training.goldbuild`) and from the surrogate lists, so the model cannot score on
the dev sets by remembering names; they mix origins so that the model learns names from
their context and shape, not from one culture's spelling.
"""

from __future__ import annotations

import random

__all__ = ["PhiFaker"]

FIRST = """
Aaliyah Abdul Ada Adele Adeola Ahmed Aiko Alejandro Alessia Aleksander Alma Alonzo Amani Ambrose Amelie
Anahi Anders Angus Anouk Anselm Arjun Armando Astrid Augustin Aurora Ayesha Babajide Beatriz Benedikt
Bernadette Bettina Blessing Bogdan Brigid Bronwyn Caio Calum Camille Casimir Catalina Cedric Chiamaka
Chloe Clement Colette Consuelo Cosmin Dagny Damian Darius Dashiell Deepika Desmond Dilnoza Dimitra
Dorothea Duc Eamon Edmund Efua Eira Elif Elodie Emeka Emre Enrique Ercole Esme Estelle Eun-ji Fabian Farah
Felipa Fenna Fiadh Filip Fionnuala Folasade Franziska Frederick Gaspard Gemma Giacomo Giulia
Guadalupe Gustavo Hamza Hana Hannelore Hassan Heike Helga Hendrik Hiba Horatio Huda Idris Ilse
Inés Ioana Irina Isidore Ivo Jacinta Jadwiga Jaroslav Javier Jelena Joaquim Jonas Josefina Jovan Julius
Kalani Kamala Karim Kasia Keanu Kenji Khadija Klaus Lajos Larissa Laszlo Leandro Leilani Leocadia Lior
Lisbeth Lotte Luciana Ludovic Lukas Lyudmila Madhuri Magnus Mairead Malik Manon Marek Mariam Mateo
Matilda Maximilian Mehmet Meiling Milena Minh Miroslav Moana Mohammed Nanami Natalia Ngozi Nils Niamh
Noemi Nuno Octavia Olamide Oleksandr Orla Osvaldo Pablo Padraig Parisa Pavel Petra Philippa
Pilar Pradeep Ragnhild Rahul Ramona Raquel Reinhard Rhiannon Rocio Rohan
Roxana Ruslan Sabine Saoirse Sebastian Seo-yeon Siddharth Sigrid Silvia Simone Siobhan Stanislav
Svetlana Tadeusz Tamsin Tariq Teodora Thandiwe Theodora Tomasz Ugo Valentina Vasilis Veronika Viggo
Violetta Vladimir Wanjiru Wiebke Wojciech Yasmin Zainab Zdenek Zofia
Ann Bob Carl Dan Eve Grace Hope Jack Joy June Mark May Rose Ruth Will Faith Earl Frank Grant
""".split()

LAST = """
Abara Achterberg Adeyemi Aguilar Ahn Akinola Albrecht Alcantara Almeida Amundsen Andrade Antonelli Arakawa
Arnaud Aslan Bachmann Bakshi Baranski Barbosa Bauer Bergstrom Bhattacharya Bianchi Blackwood Bogdanov
Bondarenko Borowski Brennan Brodsky Caldwell Campana Carvalho Castillo Chaudhry Chen Cheng Chowdhury
Ciobanu Clemente Coelho Costa Cruz Czerwinski Dabrowski Dalton Danielsen Dasgupta Demir Desai Diallo
Dimitrov Dobrev Dominguez Donnelly Dubois Dumitru Eberhardt Eklund Engstrom Escobar Esposito Falk Farouk
Fernandes Ferreira Fischer Fonseca Forsberg Fujimoto Gagnon Garrido Gashi Gebremedhin Giordano Gonzaga Goto
Greenberg Grigoryan Gustafsson Haddad Halvorsen Hamid Hansen Haraldsen Hartmann Hashemi Hernandez Hoang
Horvath Huang Hussain Iglesias Ivanova Jankowski Jensen Jimenez Johansson Kaczmarek Kamau Kapoor Karimi
Kaufmann Kelleher Khalil Kimura Klein Koch Kovacs Krause Kuznetsov Laine Lambert Larsen Lehmann Leone Levesque
Lombardi Lopez Lundberg Madsen Mahlangu Makarov Mancini Markovic Mbeki McAllister Medina
Mehta Melnyk Menon Meyer Molina Moreau Morozov Mukherjee Murphy Nagy Navarro Nguyen Nielsen Novak
Nowicki Obi Odhiambo Okafor Olsen Ortega Osei Ozturk Papadopoulos Park Pavlov Pereira Petrov Pham
Popescu Quigley Rahman Ramirez Reyes Ricci Rinaldi Rocha Romano Rossi Rutkowski Saito Salazar
Santos Sato Schmidt Schneider Sen Serrano Shapiro Sharma Silva Simonsen Sokolov Solberg Stavros Suzuki
Svensson Takahashi Tanaka Teixeira Thorsen Tkachenko Toth Tran Umarov Valdez Varga Vasquez Vogel Volkov Vu
Wagner Walczak Watanabe Weber Wieczorek Winter Wong Yadav Yamada Yilmazer Zamora Zielinski Zimmermann
Black Brown Bush Cook Fox Green Hall King Long Moon Page Price Rich Stone Swift Wood Young
""".split()

CITIES = """
Aberdeen|Akron|Albany|Allentown|Amarillo|Anchorage|Ann Arbor|Asheville|Athens|Augusta|Bakersfield|Bangor|Baton Rouge
|Billings|Birmingham|Bismarck|Boise|Bozeman|Bridgeport|Burlington|Cedar Rapids|Charleston|Chattanooga|Cheyenne|Chico
|Columbia|Concord|Dayton|Dubuque|Duluth|El Paso|Erie|Evansville|Fargo|Flagstaff|Fort Wayne|Fresno|Gainesville
|Grand Forks|Green Bay|Greenville|Harrisburg|Helena|Huntsville|Ithaca|Jackson|Joplin|Juneau|Kalamazoo|Killeen
|Knoxville|Lafayette|Lansing|Laredo|Lincoln|Little Rock|Lubbock|Macon|Madison|Missoula|Mobile|Modesto|Montgomery
|Naples|New Haven|Norfolk|Ogden|Olympia|Omaha|Pensacola|Peoria|Pueblo|Provo|Racine|Raleigh|Reno|Roanoke|Rochester
|Rockford|Sacramento|Saginaw|San Angelo|Santa Fe|Savannah|Scranton|Shreveport|Sioux Falls|Spokane|Springfield
|Stockton|Syracuse|Tacoma|Tallahassee|Toledo|Topeka|Tucson|Tulsa|Tyler|Utica|Waco|Wichita|Yakima|Youngstown|Yuma
|Leeds|Bristol|Glasgow|Cork|Lyon|Porto|Graz|Utrecht|Malmo|Aarhus|Bergen|Tampere|Gdansk|Brno|Cluj-Napoca|Plovdiv
|Thessaloniki|Izmir|Haifa|Pune|Kochi|Cebu|Osaka|Busan|Da Nang|Surabaya|Curitiba|Rosario|Valparaiso|Arequipa
|Medellin|Puebla|Halifax|Winnipeg|Hamilton|Dunedin|Wollongong|Durban|Kumasi|Ibadan|Mombasa|Marrakesh
""".replace("\n", "").split("|")

STATES = ["AL", "AK", "AZ", "AR", "CO", "CT", "DE", "FL", "GA", "HI", "IL", "IN", "IA", "KS", "KY", "LA", "ME",
          "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK",
          "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WV", "WI", "WY", "Texas", "Ohio", "Maine",
          "Georgia", "Iowa", "Virginia", "Michigan", "Colorado"]
COUNTRIES = ["Canada", "Mexico", "Ireland", "Portugal", "Poland", "Nigeria", "Kenya", "India", "Philippines",
             "Vietnam", "Brazil", "Peru", "Chile", "Japan", "Korea", "Germany", "France", "Italy", "Spain",
             "Greece", "Turkey", "Egypt", "Ghana", "Norway", "Sweden", "Finland", "Denmark", "Australia",
             "New Zealand", "Jamaica", "Haiti", "Guatemala", "Honduras", "Ukraine", "Romania", "Somalia",
             "Ethiopia", "Pakistan", "Bangladesh", "China", "Iran", "Iraq", "Syria", "Colombia", "Cuba"]
STREETS = ["Maple", "Oak", "Cedar", "Birch", "Elm", "Willow", "Juniper", "Magnolia", "Sycamore", "Chestnut",
           "Hawthorne", "Linden", "Poplar", "Aspen", "Laurel", "Spruce", "Hickory", "Dogwood", "Alder", "Cypress",
           "Lincoln", "Jefferson", "Franklin", "Adams", "Monroe", "Harrison", "Garfield", "Cleveland", "Roosevelt",
           "Kennedy", "Main", "Church", "Mill", "Market", "Bridge", "River", "Lake", "Park", "Highland", "Valley",
           "Sunset", "Ridge", "Meadow", "Orchard", "Prospect", "Summit", "Fairview", "Pleasant", "Forest", "Grove",
           "Rua Augusta", "Via Roma", "Calle Mayor", "Hauptstrasse", "Kongensgade", "Ulica Dluga", "Rue Verte"]
SUFFIXES = ["St", "St.", "Street", "Ave", "Ave.", "Avenue", "Rd", "Road", "Dr", "Drive", "Ln", "Lane", "Blvd",
            "Way", "Ct", "Court", "Pl", "Place", "Terrace", "Circle", "Pkwy", "Hwy"]
FACILITY_WORDS = ["Memorial Hospital", "Regional Medical Center", "Medical Center", "Community Hospital",
                  "Eye Clinic", "Family Medicine", "Health Center", "Surgical Center", "Urgent Care",
                  "General Hospital", "Rehabilitation Center", "Nursing Home", "Cancer Institute",
                  "Children's Hospital", "Veterans Affairs Medical Center", "Retina Associates", "Pediatrics"]
FACILITY_HEADS = ["St. Brigid's", "Mercy", "Providence", "Good Samaritan", "Holy Cross", "Saint Luke's",
                  "Riverside", "Lakeview", "Northgate", "Pine Ridge", "Bayview", "Stonebrook", "Clearwater",
                  "Harborview", "Sunnyside", "Westfield", "Meadowbrook", "Eastside", "Red Rock", "Silver Lake"]


class PhiFaker:
    """Random identifiers of the two model PHI types, in clinical-note shapes."""

    def __init__(self, rng: random.Random):
        self.r = rng

    def first(self) -> str:
        return self.r.choice(FIRST)

    def last(self) -> str:
        r = self.r
        x = r.choice(LAST)
        if r.random() < 0.08:
            x = f"{x}-{r.choice(LAST)}"
        return x

    def person(self) -> str:
        """A person's name in one of the shapes notes use."""
        r = self.r
        f, la = self.first(), self.last()
        style = r.random()
        if style < 0.35:
            out = f"{f} {la}"
        elif style < 0.5:
            out = f"{f} {chr(65 + r.randrange(26))}. {la}"
        elif style < 0.62:
            out = f"{la}, {f}"
        elif style < 0.72:
            out = la
        elif style < 0.8:
            out = f"{f[0]}. {la}"
        elif style < 0.86:
            out = f"{f} {chr(65 + r.randrange(26))} {la}"
        elif style < 0.93:
            out = f.upper() + " " + la.upper() if r.random() < 0.5 else f"{la.upper()}, {f.upper()}"
        else:
            out = f
        return out

    def city(self) -> str:
        return self.r.choice(CITIES)

    def street(self) -> str:
        r = self.r
        num = str(r.randint(1, 9999))
        out = f"{num} {r.choice(STREETS)} {r.choice(SUFFIXES)}"
        if r.random() < 0.25:
            out += r.choice([f" Apt {r.randint(1, 40)}", f" Apt. {r.randint(100, 999)}", f" Suite {r.randint(100, 900)}",
                             f", Unit {r.randint(1, 30)}{r.choice('ABCD')}", f" #{r.randint(1, 99)}"])
        return out

    def zip(self) -> str:
        r = self.r
        z = f"{r.randint(1000, 99999):05d}"
        return z + (f"-{r.randint(0, 9999):04d}" if r.random() < 0.2 else "")

    def city_state_zip(self) -> str:
        r = self.r
        c, st = self.city(), r.choice(STATES)
        style = r.random()
        if style < 0.5:
            return f"{c}, {st} {self.zip()}"
        if style < 0.7:
            return f"{c}, {st}"
        if style < 0.85:
            return f"{c} {st} {self.zip()}"
        return f"{c}, {r.choice(COUNTRIES)}"

    def address(self) -> str:
        r = self.r
        sep = r.choice([", ", ", ", "\n", "  "])
        return f"{self.street()}{sep}{self.city_state_zip()}"

    def facility(self) -> str:
        r = self.r
        head = r.choice(FACILITY_HEADS + [self.city(), self.last()])
        return f"{head} {r.choice(FACILITY_WORDS)}"
