using System.Security.Cryptography;
using System.Text;
using Shop.ProductApi.Model;

namespace Shop.ProductApi.Infrastructure;

/// <summary>
/// A realistic demo catalog, identical on every run (fixed random seed, ids derived from the SKU), so search,
/// paging and benchmarks always see the same data.
/// </summary>
public static class ProductSeed
{
    private sealed record CategorySpec(string Slug, string Name, string[] Brands, string[] Nouns, string[] Features, decimal MinPrice, decimal MaxPrice);

    private static readonly string[] Adjectives =
        ["Classic", "Pro", "Ultra", "Compact", "Premium", "Essential", "Advanced", "Lightweight", "Deluxe", "Smart", "Eco", "Urban", "Vintage", "Sport", "Max"];

    private static readonly CategorySpec[] Categories =
    [
        new("electronics", "Electronics", ["Sony", "Samsung", "Philips", "Anker", "JBL", "Bose", "Logitech"],
            ["Wireless Headphones", "Bluetooth Speaker", "Power Bank", "USB-C Charger", "Smart Watch", "Webcam", "Soundbar", "Earbuds"],
            ["noise cancelling", "long battery life", "fast charging", "water resistant", "voice assistant support"], 9.99m, 899m),
        new("computers", "Computers", ["Lenovo", "Dell", "HP", "Asus", "Acer", "Apple"],
            ["Laptop", "Mechanical Keyboard", "Wireless Mouse", "27-inch Monitor", "Docking Station", "External SSD", "Graphics Tablet"],
            ["backlit keys", "high refresh rate", "USB-C connectivity", "aluminium body", "ergonomic design"], 19.99m, 2499m),
        new("home-kitchen", "Home & Kitchen", ["Tefal", "Bosch", "KitchenAid", "Russell Hobbs", "Le Creuset", "Zwilling"],
            ["Coffee Maker", "Chef Knife", "Frying Pan", "Stand Mixer", "Electric Kettle", "Toaster", "Dutch Oven", "Blender"],
            ["dishwasher safe", "non-stick coating", "stainless steel", "energy efficient", "easy to clean"], 14.99m, 649m),
        new("sports-outdoors", "Sports & Outdoors", ["Nike", "Adidas", "Salomon", "The North Face", "Columbia", "Decathlon"],
            ["Running Shoes", "Hiking Backpack", "Yoga Mat", "Rain Jacket", "Camping Tent", "Water Bottle", "Trekking Poles"],
            ["breathable fabric", "lightweight build", "waterproof", "reflective details", "recycled materials"], 9.99m, 499m),
        new("books", "Books", ["Penguin", "O'Reilly", "Manning", "HarperCollins", "Vintage", "Pearson"],
            ["Cookbook", "Mystery Novel", "Programming Guide", "Travel Guide", "Biography", "Science Fiction Novel", "History of Europe"],
            ["hardcover edition", "illustrated", "second edition", "bestseller", "with exercises"], 6.99m, 79m),
        new("toys-games", "Toys & Games", ["LEGO", "Hasbro", "Mattel", "Ravensburger", "Playmobil"],
            ["Building Set", "Board Game", "Jigsaw Puzzle", "Remote Control Car", "Plush Bear", "Card Game"],
            ["ages 8 and up", "family friendly", "1000 pieces", "collector's edition", "rechargeable"], 7.99m, 249m),
        new("beauty", "Beauty & Personal Care", ["L'Oreal", "Nivea", "Braun", "Philips", "Dove", "Clinique"],
            ["Electric Toothbrush", "Hair Dryer", "Face Cream", "Beard Trimmer", "Shampoo", "Sunscreen SPF 50"],
            ["dermatologically tested", "fragrance free", "cordless", "travel size", "vegan formula"], 4.99m, 199m),
        new("garden", "Garden & DIY", ["Bosch", "Makita", "Gardena", "Black+Decker", "Stanley", "Fiskars"],
            ["Cordless Drill", "Garden Hose", "Pruning Shears", "Lawn Mower", "Tool Set", "Leaf Blower", "Wheelbarrow"],
            ["brushless motor", "18V battery", "rust resistant", "ergonomic grip", "compact storage"], 9.99m, 599m),
        new("fashion", "Fashion", ["Levi's", "Zara", "H&M", "Uniqlo", "Tommy Hilfiger", "Ray-Ban"],
            ["Denim Jacket", "Cotton T-Shirt", "Wool Sweater", "Leather Belt", "Sunglasses", "Chino Trousers", "Sneakers"],
            ["organic cotton", "slim fit", "machine washable", "classic cut", "polarised lenses"], 9.99m, 299m),
        new("grocery", "Grocery", ["Lavazza", "Twinings", "Lindt", "Barilla", "Illy", "Bonne Maman"],
            ["Espresso Beans", "Green Tea", "Dark Chocolate", "Olive Oil", "Pasta", "Strawberry Jam", "Granola"],
            ["organic", "fair trade", "family pack", "gluten free", "single origin"], 1.99m, 39m),
    ];

    public static (IReadOnlyList<Category> Categories, IReadOnlyList<Product> Products) Create(int productCount, int seed = 20261126)
    {
        var random = new Random(seed);
        var categories = Categories.Select(c => new Category { Slug = c.Slug, Name = c.Name }).ToList();
        var epoch = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var products = new List<Product>(productCount);

        for (var i = 0; i < productCount; i++)
        {
            var spec = Categories[i % Categories.Length];
            var brand = Pick(random, spec.Brands);
            var noun = Pick(random, spec.Nouns);
            var adjective = Pick(random, Adjectives);
            var model = $"{(char)('A' + random.Next(26))}{random.Next(100, 1000)}";
            var sku = $"{spec.Slug[..3].ToUpperInvariant()}-{i + 1:D5}";
            var features = spec.Features.OrderBy(_ => random.Next()).Take(2).ToArray();
            var price = Math.Round(spec.MinPrice + (decimal)random.NextDouble() * (spec.MaxPrice - spec.MinPrice), 0) - 0.01m;
            var created = epoch.AddHours(i * 5 + random.Next(5));

            products.Add(new Product
            {
                Id = IdFromSku(sku),
                Sku = sku,
                Name = $"{brand} {adjective} {noun} {model}",
                Description = $"The {adjective.ToLowerInvariant()} {noun.ToLowerInvariant()} from {brand}: {features[0]} and {features[1]}. Model {model}.",
                Category = categories[i % Categories.Length],
                Brand = brand,
                Price = Math.Max(price, spec.MinPrice),
                Currency = "EUR",
                Stock = random.Next(0, 10) == 0 ? 0 : random.Next(1, 500),
                ImageUrl = $"https://images.shop.local/products/{sku.ToLowerInvariant()}.jpg",
                CreatedAt = created,
                UpdatedAt = created,
            });
        }
        return (categories, products);
    }

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];

    private static Guid IdFromSku(string sku) => new(SHA256.HashData(Encoding.UTF8.GetBytes("shop-product:" + sku)).AsSpan(0, 16));
}
