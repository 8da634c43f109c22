"""Demo partnerships. Calderdale's clusters and member schools are the public list in Appendix B of
its partnership framework; every figure, URN and person here is invented."""

CALDERDALE_CLUSTERS = {
    "Calder Valley Collaborative": [
        "Burnley Road Academy", "Castle Hill Primary", "Central Street Infant & Nursery", "Colden J & I",
        "Calder Learning Trust (Primary)", "Hebden Royd CE Primary", "Heptonstall J, I & N",
        "Luddenden CE School", "Luddendenfoot Academy", "Midgley School", "Old Town Primary",
        "Riverside Junior School", "Scout Road Academy", "Stubbings Infant & Nursery School", "Wainstalls School",
    ],
    "East Calderdale": [
        "Bailiffe Bridge J & I", "Carr Green Primary", "Cliffe Hill Community Primary", "Field Lane Primary",
        "Lightcliffe CE Primary", "Longroyde Primary School", "Northowram Primary", "Salterhebble J & I School",
        "Salterlee Primary", "Shelf J & I", "St Andrew's CE Infant", "St Andrew's CE Junior",
        "St John's CE Primary Academy, Clifton", "St Joseph's Catholic Primary, Brighouse",
        "St Michael & All Angels CE Primary", "Trinity Academy St Chad's", "Withinfields Primary", "Woodhouse Primary",
    ],
    "Todmorden Cluster": [
        "Cornholme J, I & N", "Ferney Lee Primary", "Parkinson Lane Community Primary", "Shade Primary",
        "St Joseph's RC Primary (Todmorden)", "Todmorden CE J, I & N School", "Walsden St Peter's CE (VC) Primary",
    ],
    "North Halifax": [
        "Abbey Park Primary School", "Ash Green Community Primary", "Beech Hill School", "Bradshaw Primary School",
        "Christ Church CE (VC) Primary", "Dean Field Community Primary", "The Halifax Academy (Primary Phase)",
        "Holy Trinity CE Primary, A C of E Academy", "Lee Mount Primary School", "Ling Bob J, I & N School",
        "Moorside Community Primary", "Mount Pellon Primary Academy", "Trinity Academy Akroydon",
        "Savile Park Primary", "St Augustine's CE (VA) J & I School", "St Joseph's Catholic Primary, Halifax",
        "St Malachy's Catholic Primary, A Voluntary Academy", "Whitehill Community Academy",
    ],
    "Sowerby Bridge Cluster": [
        "Barkisland CE (VA) Primary School", "Bolton Brow Primary Academy", "Christ Church CE (VA) Junior School",
        "Copley Primary School", "New Road Primary School", "Norland CE School", "Ripponden J & I School",
        "Sacred Heart Catholic Voluntary Academy", "Trinity Academy St Peter's", "St John's School, Rishworth",
        "St Mary's CE (VC) J & I School", "Triangle CE Primary School", "Tuel Lane Infant School",
        "Warley Road Primary School", "Warley Town School",
    ],
    "Elland Cluster": [
        "All Saints' CE VA J & I School", "Bowling Green Primary School", "Cross Lane Primary School",
        "Elland CE J, I & N School (VA)", "The Greetland Academy", "Holywell Green Primary & Nursery School",
        "Old Earth Primary School", "Siddal Primary School", "St Mary's Catholic Primary School",
        "St Patrick's Catholic Primary School", "West Vale Primary School",
    ],
    "Secondary Cluster": [
        "Brighouse High School", "Calder Learning Trust (Secondary phase)", "The Halifax Academy (Secondary phase)",
        "Lightcliffe Academy", "Park Lane Academy", "Rastrick High School & Sixth Form",
        "Ravenscliffe High School & Sports College (Associate)", "Ryburn Valley High School",
        "Trinity Academy Grammar", "The Brooksbank School", "The Crossley Heath School",
        "The North Halifax Grammar School", "The Whitley Alternative Provision Academy", "Todmorden High School",
        "Trinity Academy Halifax", "William Henry Smith (Associate)",
    ],
    "Specialist Provision Cluster (SPC)": [
        "Highbury School", "Ravenscliffe High School & Sports College", "William Henry Smith", "Wood Bank School",
    ],
}

# Invented schools for the other demo partnerships.
OLDHAM_CLUSTERS = {
    "Oldham North": [
        "Ashbrook Primary School", "Brindle Lane Primary", "Coppice Vale Academy", "Delph Side Primary",
        "Heathfield Moor High School",
    ],
    "Oldham East": [
        "Fernhill Primary School", "Greenacre Junior School", "Holly Bank Infant School", "Kestrel Rise Academy",
        "Lowmoor High School",
    ],
    "Oldham West": [
        "Millbeck Primary", "Northgate CE Primary", "Orchard Way Primary Academy", "Pennine View School",
        "Quarry Hill Academy",
    ],
}

MILTON_KEYNES_CLUSTERS = {
    "North Milton Keynes": [
        "Ashcroft Meadow Primary", "Brookfield Grange School", "Cedar Park Infant School", "Denbigh Fields Academy",
        "Elmstone High School",
    ],
    "Central Milton Keynes": [
        "Fairway Junior School", "Grafton Green Primary", "Hazel Leys Primary Academy", "Ironbridge Combined School",
        "Juniper Hill Academy",
    ],
    "South Milton Keynes": [
        "Kingsmead Primary", "Larchwood Primary School", "Marston Vale Academy", "Newland Brook School",
        "Oakridge Park School",
    ],
}

PARTNERSHIPS = [
    {
        "slug": "calderdale",
        "name": "Calderdale Partnership",
        "la_codes": ["381"],
        "clusters": CALDERDALE_CLUSTERS,
    },
    {
        "slug": "oldham",
        "name": "Oldham Education Partnership",
        "la_codes": ["353"],
        "clusters": OLDHAM_CLUSTERS,
    },
    {
        "slug": "milton-keynes",
        "name": "Milton Keynes School Improvement Partnership",
        "la_codes": ["826"],
        "clusters": MILTON_KEYNES_CLUSTERS,
    },
]

# Invented people: one per role per partnership.
PEOPLE = {
    "officer": ("Alex", "Carter"),
    "board": ("Sam", "Okafor"),
    "clusterlead": ("Priya", "Nash"),
    "clusterofficer": ("Jordan", "Hale"),
    "head": ("Morgan", "Reid"),
    "governor": ("Casey", "Lin"),
    "partner": ("Robin", "Ellis"),
}

DEMO_PASSWORD = "partnership-demo"
