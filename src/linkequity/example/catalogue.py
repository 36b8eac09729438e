"""The example site's catalogue: categories, products, posts, guides, tags (example stage).

A :class:`Catalogue` is all the example site keeps in memory: records of a few fields each, no
text and no HTML. Page text comes from a pool of generated sentences picked by each page's own
random source, so a page's content depends only on the seed and its URL.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from linkequity.example.defects import GONE_PRODUCT, REMOVED_POST, RETIRED_PRODUCT

__all__ = [
    "COLOURS",
    "DEFAULT_PROFILE",
    "HEAVY_PROFILE",
    "Catalogue",
    "Category",
    "Guide",
    "Post",
    "Product",
    "Profile",
    "Subcategory",
    "Tag",
    "build_catalogue",
    "slugify",
]

# -- vocabulary -------------------------------------------------------------------
# (category, URL slug, ((subcategory, what one product of it is called), ...))
_CATEGORY_TABLE: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("Tents & Shelters", "tents", (
        ("Backpacking Tents", "Tent"), ("Family Tents", "Tent"), ("Tarps", "Tarp"),
        ("Bivy Sacks", "Bivy"), ("Hammocks", "Hammock"), ("Ultralight Shelters", "Shelter"),
        ("Mountaineering Tents", "Tent"), ("Footprints", "Footprint"),
        ("Tent Stakes", "Stake Set"), ("Canopies", "Canopy"))),
    ("Sleeping Bags & Pads", "sleeping", (
        ("Down Sleeping Bags", "Down Bag"), ("Synthetic Sleeping Bags", "Sleeping Bag"),
        ("Sleeping Pads", "Pad"), ("Quilts", "Quilt"), ("Camp Pillows", "Pillow"),
        ("Bag Liners", "Liner"), ("Kids Sleeping Bags", "Kids Bag"),
        ("Air Mattresses", "Air Bed"), ("Foam Pads", "Foam Pad"), ("Camp Blankets", "Blanket"))),
    ("Backpacks", "backpacks", (
        ("Daypacks", "Daypack"), ("Hiking Packs", "Pack"), ("Travel Packs", "Travel Pack"),
        ("Hydration Packs", "Hydration Pack"), ("Running Vests", "Vest"),
        ("Kids Packs", "Kids Pack"), ("Duffel Bags", "Duffel"), ("Waist Packs", "Waist Pack"),
        ("Pack Covers", "Rain Cover"), ("Camera Packs", "Camera Pack"))),
    ("Footwear", "footwear", (
        ("Hiking Boots", "Boot"), ("Trail Runners", "Trail Runner"),
        ("Approach Shoes", "Approach Shoe"), ("Sandals", "Sandal"),
        ("Winter Boots", "Winter Boot"), ("Gaiters", "Gaiter"), ("Hiking Socks", "Sock"),
        ("Insoles", "Insole"), ("Water Shoes", "Water Shoe"), ("Camp Shoes", "Camp Shoe"))),
    ("Clothing", "clothing", (
        ("Rain Jackets", "Rain Jacket"), ("Insulated Jackets", "Puffy"), ("Fleece", "Fleece"),
        ("Base Layers", "Base Layer"), ("Hiking Pants", "Pant"), ("Shorts", "Trail Short"),
        ("Sun Hats", "Hat"), ("Gloves", "Glove"), ("Hiking Shirts", "Shirt"),
        ("Softshell Jackets", "Softshell"))),
    ("Climbing", "climbing", (
        ("Harnesses", "Harness"), ("Ropes", "Rope"), ("Carabiners", "Carabiner"),
        ("Belay Devices", "Belay Device"), ("Helmets", "Helmet"), ("Chalk Bags", "Chalk Bag"),
        ("Crash Pads", "Crash Pad"), ("Quickdraws", "Quickdraw"), ("Slings", "Sling"),
        ("Climbing Shoes", "Climbing Shoe"))),
    ("Camp Kitchen", "kitchen", (
        ("Stoves", "Stove"), ("Cookware", "Pot Set"), ("Water Filters", "Filter"),
        ("Water Bottles", "Bottle"), ("Mugs", "Mug"), ("Utensils", "Spork"),
        ("Coolers", "Cooler"), ("Camp Food", "Meal"), ("Camp Tables", "Table"),
        ("Fuel", "Fuel Canister"))),
    ("Lights & Navigation", "lights", (
        ("Headlamps", "Headlamp"), ("Lanterns", "Lantern"), ("GPS Devices", "GPS"),
        ("Compasses", "Compass"), ("Outdoor Watches", "Watch"), ("Maps", "Map"),
        ("Power Banks", "Power Bank"), ("Solar Chargers", "Solar Panel"),
        ("Satellite Messengers", "Messenger"), ("Binoculars", "Binocular"))),
)  # fmt: skip
_BRANDS = (
    "Northwind", "Ridgeline", "Alpenglow", "Cascade", "Kestrel", "Fjell", "Boreal",
    "Granite Peak", "Larch", "Tarn", "Sierra Loft", "Talus",
)  # fmt: skip
_MODELS = (
    "Trail", "Ultra", "Summit", "Lite", "Expedition", "Basecamp", "Ascent", "Nomad", "Ridge",
    "Scout", "Drift", "Vista", "Pioneer", "Arrow", "Scree", "Cirque", "Couloir", "Moraine",
    "Tundra", "Aspen",
)  # fmt: skip
_EDITIONS = ("", "2", "3", "40", "55", "Pro", "UL", "Plus")
COLOURS = ("forest-green", "slate-blue", "ember-red", "sand", "graphite")
_PLACES = (
    "Cairngorms", "Dolomites", "Sierra Nevada", "Lake District", "Julian Alps", "Tatras",
    "Pyrenees", "Rockies", "Lofoten Islands", "Scottish Highlands", "Cascades", "Tetons",
)  # fmt: skip
_TAGS = (
    "backpacking", "camping", "hiking", "climbing", "winter", "gear care", "trip reports",
    "beginners", "family", "ultralight", "repairs", "reviews", "navigation", "cooking",
    "trail running", "bouldering", "wild camping", "snow", "rain", "budget", "kids", "dogs",
    "photography", "safety",
)  # fmt: skip
_POST_TITLES = (
    "How to Choose {a_noun}",
    "The {n} Best {sub} of {year}",
    "{sub}: A Beginner's Guide",
    "How to Care for Your {noun}",
    "Trip Report: {n} Days in the {place}",
    "{noun} Buying Mistakes to Avoid",
    "What We Packed for the {place}",
    "Field Test: {sub} in the {place}",
)
_SENTENCES = (
    "The {adj} {material} shell sheds {weather} and packs down to the size of {thing}.",
    "We tested it for {n} nights in the {place} and it never let us down.",
    "At {n} grams it is one of the lightest options in its class.",
    "Seams are taped, zips are {adj} and the fit leaves room for a warm layer.",
    "Our staff in the {place} shop rate it {adj} for {activity}.",
    "If you mostly go {activity}, pair it with something {adj} and {material}.",
    "It handled {weather} on the ridge better than anything else we carried.",
    "Care is simple: rinse in fresh water, dry slowly and store it loose.",
    "The {material} is {adj}, recycled and treated without PFAS.",
    "Every purchase funds trail maintenance in the {place}.",
)
_WORDS = {
    "adj": ("rugged", "breathable", "packable", "durable", "quiet", "versatile", "warm"),
    "material": ("ripstop nylon", "merino", "recycled polyester", "canvas", "Dyneema"),
    "weather": ("sideways rain", "spindrift", "a week of drizzle", "forty-knot gusts"),
    "thing": ("a water bottle", "a loaf of bread", "a paperback", "two fists"),
    "activity": ("bikepacking", "winter camping", "long-distance hiking", "trail running"),
}


def slugify(text: str) -> str:
    """A URL slug: lower-case ASCII words joined by hyphens."""
    out = "".join(c if c.isalnum() and c.isascii() else " " for c in text.lower())
    return "-".join(out.split())


def _unique(slug: str, used: set[str]) -> str:
    candidate, n = slug, 2
    while candidate in used:
        candidate, n = f"{slug}-{n}", n + 1
    used.add(candidate)
    return candidate


# -- records --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Profile:
    """How big pages are. The default makes 10-20 KB pages with 60-90 links; the heavy one
    (benchmarks) ~50 KB with ~200 links, like a templated shop: a mega-menu of ~80 links, a
    footer of ~40, a sidebar of ~20 and ~60 in the content. The test suite measures both."""

    nav_subcategories: int
    """Subcategory links per category in the main menu."""
    nav_panel: int
    """Links per category panel, topped up with featured products (0: no top-up)."""
    sidebar_posts: int
    sidebar_products: int
    footer_extra: bool
    """Add the shop and guide columns of a big footer (~40 links instead of ~15)."""
    listing_size: int
    blog_page_size: int
    related_products: int
    also_viewed: int
    related_posts: int
    cluster_posts: int
    """Posts a pillar guide and a tag page list."""
    paragraphs: int
    """Paragraphs of text in a product description or a post."""


DEFAULT_PROFILE = Profile(
    nav_subcategories=2,
    nav_panel=0,
    sidebar_posts=5,
    sidebar_products=4,
    footer_extra=False,
    listing_size=12,
    blog_page_size=10,
    related_products=4,
    also_viewed=0,
    related_posts=3,
    cluster_posts=12,
    paragraphs=4,
)
HEAVY_PROFILE = Profile(
    nav_subcategories=7,
    nav_panel=10,
    sidebar_posts=9,
    sidebar_products=9,
    footer_extra=True,
    listing_size=24,
    blog_page_size=20,
    related_products=12,
    also_viewed=24,
    related_posts=12,
    cluster_posts=40,
    paragraphs=44,
)


@dataclass(frozen=True, slots=True)
class Category:
    """A top-level category (in the main menu)."""

    index: int
    name: str
    slug: str
    subcategories: tuple[int, ...]

    @property
    def path(self) -> str:
        return f"/category/{self.slug}/"


@dataclass(frozen=True, slots=True)
class Subcategory:
    """A subcategory: a paginated listing of its products, which are contiguous."""

    index: int
    name: str
    slug: str
    noun: str
    category: int
    first_product: int
    product_count: int
    listing_pages: int

    def path(self, category_slug: str, page: int = 1) -> str:
        base = f"/category/{category_slug}/{self.slug}/"
        return base if page == 1 else f"{base}page/{page}/"


@dataclass(frozen=True, slots=True)
class Product:
    """A product; with ``colours`` it also has ``?color=`` variants canonicalised to it."""

    index: int
    name: str
    slug: str
    subcategory: int
    brand: str
    price_cents: int
    colours: tuple[str, ...]

    @property
    def path(self) -> str:
        return f"/products/{self.slug}/"


@dataclass(frozen=True, slots=True)
class Post:
    """A blog post, in a guide's cluster when its category has a guide."""

    index: int
    """0 is the newest post."""
    title: str
    slug: str
    published: str
    subcategory: int
    tags: tuple[int, ...]
    guide: int | None

    @property
    def path(self) -> str:
        return f"/blog/{self.slug}/"


@dataclass(frozen=True, slots=True)
class Guide:
    """A pillar guide with a print version."""

    index: int
    title: str
    slug: str
    category: int
    posts: tuple[int, ...]
    """Its cluster: the posts that link to it, newest first."""

    @property
    def path(self) -> str:
        return f"/guides/{self.slug}/"


@dataclass(frozen=True, slots=True)
class Tag:
    """A blog tag; its page is noindex, follow."""

    index: int
    name: str
    slug: str
    posts: tuple[int, ...]

    @property
    def path(self) -> str:
        return f"/blog/tag/{self.slug}/"


class Catalogue:
    """The shop's records and the queries pages make on them."""

    def __init__(self, seed: int, heavy: bool) -> None:
        self.seed = seed
        self.heavy = heavy
        self.profile = HEAVY_PROFILE if heavy else DEFAULT_PROFILE
        self.categories: list[Category] = []
        self.subcategories: list[Subcategory] = []
        self.products: list[Product] = []
        self.posts: list[Post] = []
        self.guides: list[Guide] = []
        self.tags: list[Tag] = []
        self.sentences: tuple[str, ...] = ()
        self.blog_pages = 1
        self._category_guides: dict[int, list[Guide]] = {}

    def category_of(self, sub: Subcategory) -> Category:
        return self.categories[sub.category]

    def listing_path(self, sub: Subcategory, page: int = 1) -> str:
        return sub.path(self.categories[sub.category].slug, page)

    def guides_of(self, category: Category) -> list[Guide]:
        """The pillar guides about a category."""
        return self._category_guides.get(category.index, [])

    def products_of(self, sub: Subcategory) -> range:
        return range(sub.first_product, sub.first_product + sub.product_count)

    def rng(self, path: str) -> random.Random:
        """The random source of one page: its content does not depend on any other page."""
        return random.Random(f"{self.seed}:{path}")

    def text(self, rng: random.Random, sentences: int) -> str:
        return " ".join(rng.choice(self.sentences) for _ in range(sentences))


def build_catalogue(cat: Catalogue, pages: int) -> None:
    """Fill ``cat`` for a site of about ``pages`` pages, from ``random.Random(cat.seed)``.

    ~55 % products, ~25 % posts, ~8 % category and listing pages; 40 pages are kept for the
    home page, info pages, indexes and the special pages.
    """
    rng = random.Random(cat.seed)
    body = pages - 40
    _build_products(cat, rng, round(0.55 * body), round(0.06 * body))
    _build_blog(cat, rng, round(0.25 * body), max(4, round(0.012 * body)))
    cat.sentences = tuple(_sentence(rng) for _ in range(400))


def _sentence(rng: random.Random) -> str:
    template = rng.choice(_SENTENCES)
    values = {k: rng.choice(v) for k, v in _WORDS.items()}
    return template.format(n=rng.randint(3, 900), place=rng.choice(_PLACES), **values)


def _build_products(cat: Catalogue, rng: random.Random, products: int, listings: int) -> None:
    per_category = max(2, min(10, round(listings / len(_CATEGORY_TABLE))))
    subs: list[tuple[int, str, str]] = []
    for ci, (name, slug, table) in enumerate(_CATEGORY_TABLE):
        first = len(subs)
        subs.extend((ci, sub, noun) for sub, noun in table[:per_category])
        cat.categories.append(Category(ci, name, slug, tuple(range(first, len(subs)))))
    # Uneven sizes, as in a real shop: some subcategories need several listing pages.
    weights = [rng.uniform(0.4, 2.5) for _ in subs]
    counts = [1] * len(subs)
    for i in rng.choices(range(len(subs)), weights, k=max(0, products - len(subs))):
        counts[i] += 1
    used: set[str] = {RETIRED_PRODUCT.split("/")[2], GONE_PRODUCT.split("/")[2]}
    size = cat.profile.listing_size
    for si, (ci, sub_name, noun) in enumerate(subs):
        first = len(cat.products)
        for _ in range(counts[si]):
            brand = rng.choice(_BRANDS)
            edition = rng.choice(_EDITIONS)
            name = " ".join(w for w in (brand, rng.choice(_MODELS), edition, noun) if w)
            colours: tuple[str, ...] = ()
            if len(cat.products) % 25 == 0:
                colours = tuple(rng.sample(COLOURS, 2))
            cat.products.append(
                Product(
                    len(cat.products),
                    name,
                    _unique(slugify(name), used),
                    si,
                    brand,
                    rng.randrange(1500, 60000, 100) - 5,
                    colours,
                )
            )
        pages_needed = -(-counts[si] // size)
        cat.subcategories.append(
            Subcategory(si, sub_name, slugify(sub_name), noun, ci, first, counts[si], pages_needed)
        )


def _build_blog(cat: Catalogue, rng: random.Random, posts: int, guides: int) -> None:
    n_categories = len(cat.categories)
    # About one tag per 20 posts, as a blog that tags with restraint has.
    tag_count = max(5, min(len(_TAGS) * (1 + len(_PLACES)), round(posts / 20)))
    tag_names = list(_TAGS) + [f"{t} {p}" for p in _PLACES for t in _TAGS]
    guide_titles: list[tuple[str, int]] = [
        (f"The Complete Guide to {c.name}", c.index) for c in cat.categories
    ]
    for sub in cat.subcategories:
        guide_titles.append((f"{sub.name}: Everything You Need to Know", sub.category))
    for i, place in enumerate(_PLACES * (1 + guides // len(_PLACES))):
        guide_titles.append((f"Hiking the {place}, part {i // len(_PLACES) + 1}", i % n_categories))
    guide_titles = guide_titles[:guides]
    by_category: dict[int, list[int]] = {}
    for gi, (_, ci) in enumerate(guide_titles):
        by_category.setdefault(ci, []).append(gi)

    used: set[str] = {REMOVED_POST.split("/")[2], "tag", "page"}
    day = date(2025, 5, 30)
    tag_posts: list[list[int]] = [[] for _ in range(tag_count)]
    guide_posts: list[list[int]] = [[] for _ in guide_titles]
    for pi in range(posts):
        sub = cat.subcategories[rng.randrange(len(cat.subcategories))]
        noun = sub.noun
        title = rng.choice(_POST_TITLES).format(
            a_noun=("an " if noun[0] in "AEIOU" else "a ") + noun,
            noun=noun,
            sub=sub.name,
            n=rng.randint(3, 12),
            year=day.year,
            place=rng.choice(_PLACES),
        )
        tags = tuple(sorted(rng.sample(range(tag_count), rng.randint(1, min(3, tag_count)))))
        for t in tags:
            tag_posts[t].append(pi)
        candidates = by_category.get(sub.category, [])
        guide = candidates[pi % len(candidates)] if candidates else None
        if guide is not None:
            guide_posts[guide].append(pi)
        slug = _unique(slugify(title), used)
        cat.posts.append(Post(pi, title, slug, day.isoformat(), sub.index, tags, guide))
        day -= timedelta(days=rng.randint(1, 3))
    cat.blog_pages = max(1, -(-posts // cat.profile.blog_page_size))
    guide_slugs: set[str] = {"archive"}
    for gi, (title, ci) in enumerate(guide_titles):
        slug = _unique(slugify(title), guide_slugs)
        record = Guide(gi, title, slug, ci, tuple(guide_posts[gi]))
        cat.guides.append(record)
        cat._category_guides.setdefault(ci, []).append(record)
    tag_slugs: set[str] = set()
    for ti in range(tag_count):
        name = tag_names[ti]
        cat.tags.append(Tag(ti, name, _unique(slugify(name), tag_slugs), tuple(tag_posts[ti])))
