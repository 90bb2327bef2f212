package io.ticketing.examples;

import static io.ticketing.examples.PageUnderTest.PATIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ticketing.core.model.User;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in headless Chromium: one event open in two windows; a reservation clicked in one window and one
 * made through the REST API both show in the other window's seat map and counters within 2 s.
 */
class LiveSeatMapIT {
    /** The issue's bound for a change to reach another page. */
    private static final Duration LIVE_WITHIN = Duration.ofSeconds(2);
    private static final Path SCREENSHOTS = Path.of("target");

    @RegisterExtension
    static final PageUnderTest page = new PageUnderTest(1280, 1000);

    private final TestApi api = page.api();
    private final ChromeDriver browser = page.browser();

    @Test
    void reservationsInOnePageAndThroughTheApiShowLiveInTheOther() throws Exception {
        long eventId = api.createGala(api.demoToken(3, "seller"));
        String eventUrl = page.app().uri().resolve("/#/events/" + eventId).toString();

        browser.switchTo().newWindow(WindowType.WINDOW);
        browser.get(eventUrl);
        String clicker = browser.getWindowHandle();
        actAsBuyer7();
        browser.switchTo().newWindow(WindowType.WINDOW);
        browser.get(eventUrl);
        String watcher = browser.getWindowHandle();
        actAsBuyer7();
        assertEquals("216", browser.findElement(By.id("stat-remaining")).getDomAttribute("data-value"));
        long watcherRequests = pageRequests();

        // 1. A buyer clicks two seats in the first window and reserves them.
        browser.switchTo().window(clicker);
        seat(2, 5).click();
        seat(2, 6).click();
        browser.findElement(By.id("reserve-selected")).click();
        setup().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#holds li[data-status='held']")));

        browser.switchTo().window(watcher);
        live().until(d -> "reserved".equals(seat(2, 5).getDomAttribute("data-status"))
                && "reserved".equals(seat(2, 6).getDomAttribute("data-status"))
                && "2".equals(d.findElement(By.id("stat-allocated")).getDomAttribute("data-value"))
                && "214".equals(d.findElement(By.id("stat-remaining")).getDomAttribute("data-value")));
        assertEquals("ticket.reserved", browser.findElement(By.id("last-event")).getDomAttribute("data-type"));
        assertEquals("buyer:7", browser.findElement(By.id("last-event")).getDomAttribute("data-actor"));

        // 2. Another buyer reserves and pays through the REST API.
        String buyer = api.demoToken(8, "buyer");
        TestApi.Response held = api.post("/api/events/" + eventId + "/reservations", buyer,
                "{\"seats\": [{\"section\": \"A\", \"subsection\": 1, \"row\": 4, \"seat\": 3},"
                        + " {\"section\": \"A\", \"subsection\": 1, \"row\": 4, \"seat\": 4},"
                        + " {\"section\": \"A\", \"subsection\": 1, \"row\": 4, \"seat\": 5}]}");
        assertEquals(201, held.status(), held::toString);
        live().until(d -> "reserved".equals(seat(4, 4).getDomAttribute("data-status"))
                && "5".equals(d.findElement(By.id("stat-allocated")).getDomAttribute("data-value")));
        TestApi.Response paid = api.post("/api/reservations/" + held.json().get("id").asText() + "/confirm", buyer, "{}");
        assertEquals(200, paid.status(), paid::toString);
        live().until(d -> "sold".equals(seat(4, 3).getDomAttribute("data-status"))
                && "sold".equals(seat(4, 5).getDomAttribute("data-status"))
                && "3".equals(d.findElement(By.id("stat-confirmed")).getDomAttribute("data-value"))
                && "2".equals(d.findElement(By.id("stat-allocated")).getDomAttribute("data-value"))
                && "ticket.confirmed".equals(d.findElement(By.id("last-event")).getDomAttribute("data-type")));
        assertEquals("211", browser.findElement(By.id("stat-remaining")).getDomAttribute("data-value"));
        WebElement tab = browser.findElement(By.id("sub-A-1"));
        assertEquals("67", tab.getDomAttribute("data-remaining"));
        assertEquals("2", tab.getDomAttribute("data-allocated"));
        assertEquals("3", tab.getDomAttribute("data-confirmed"));

        // 3. A third buyer asks for the best four seats: one run of adjacent seats in a row.
        TestApi.Response best = api.post("/api/events/" + eventId + "/reservations", api.demoToken(9, "buyer"),
                "{\"section\": \"A\", \"subsection\": 1, \"quantity\": 4}");
        assertEquals(201, best.status(), best::toString);
        int row = best.json().get("seats").get(0).get("row").asInt();
        int first = best.json().get("seats").get(0).get("seat").asInt();
        live().until(d -> "6".equals(d.findElement(By.id("stat-allocated")).getDomAttribute("data-value"))
                && "reserved".equals(seat(row, first).getDomAttribute("data-status"))
                && "reserved".equals(seat(row, first + 3).getDomAttribute("data-status")));
        TestApi.Response released = api.post("/api/reservations/" + best.json().get("id").asText() + "/cancel",
                api.demoToken(9, "buyer"), "{}");
        assertEquals(200, released.status(), released::toString);
        live().until(d -> "2".equals(d.findElement(By.id("stat-allocated")).getDomAttribute("data-value"))
                && "available".equals(seat(row, first).getDomAttribute("data-status")));
        // The watching page kept its seat map live from the stream alone: not one request since it loaded.
        assertEquals(watcherRequests, pageRequests(), "requests of the watching page: " + browser.executeScript(
                "return performance.getEntriesByType('resource').map(e => e.name).join(', ');"));
        assertEquals(0L, ((Number) browser.executeScript("return performance.getEntriesByType('resource')"
                + ".filter(e => e.name.includes('/subsections/')).length;")).longValue(), "seat-list requests");
        TestApi.Response again = api.post("/api/events/" + eventId + "/reservations", api.demoToken(9, "buyer"),
                "{\"section\": \"A\", \"subsection\": 1, \"quantity\": 4}");
        assertEquals(201, again.status(), again::toString);
        live().until(d -> "6".equals(d.findElement(By.id("stat-allocated")).getDomAttribute("data-value")));

        // The clicking window saw the API's changes too, and shows its own hold with a countdown.
        browser.switchTo().window(clicker);
        live().until(d -> "sold".equals(seat(4, 4).getDomAttribute("data-status"))
                && "reserved".equals(seat(row, first + 3).getDomAttribute("data-status")));
        assertEquals("true", seat(2, 5).getDomAttribute("data-mine"));
        setup().until(d -> !d.findElements(By.cssSelector("#holds .countdown")).isEmpty());
        setup().until(ExpectedConditions.invisibilityOfElementLocated(By.id("toast")));
        screenshot("live-seat-map.png");

        // 4. The buyer pays for the hold, then asks for a refund: the seats turn sold, then free again.
        browser.findElement(By.cssSelector("#holds li[data-status='held'] [data-action='confirm']")).click();
        setup().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#holds li[data-status='confirmed']")));
        live().until(d -> "sold".equals(seat(2, 5).getDomAttribute("data-status"))
                && "5".equals(d.findElement(By.id("stat-confirmed")).getDomAttribute("data-value")));
        browser.findElement(By.cssSelector("#holds li[data-status='confirmed'] [data-action='cancel']")).click();
        setup().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#holds li[data-status='cancelled']")));
        live().until(d -> "available".equals(seat(2, 5).getDomAttribute("data-status"))
                && "available".equals(seat(2, 6).getDomAttribute("data-status"))
                && "3".equals(d.findElement(By.id("stat-confirmed")).getDomAttribute("data-value"))
                && "ticket.released".equals(d.findElement(By.id("last-event")).getDomAttribute("data-type")));

        browser.manage().window().setSize(new Dimension(390, 844));
        new Actions(browser).scrollToElement(browser.findElement(By.id("seat-map"))).perform();
        setup().until(ExpectedConditions.visibilityOfElementLocated(By.id("seat-map")));
        screenshot("live-seat-map-phone.png");
    }

    @Test
    void thePublicListFollowsTheLobbyStreamWithoutPolling() throws Exception {
        browser.switchTo().newWindow(WindowType.TAB);
        browser.get(page.app().uri().toString());
        actAsBuyer7OnTheList();
        String seller = api.demoToken(3, "seller");
        long eventId = api.createGala(seller);
        By card = By.cssSelector("#event-list .event-card[data-event-id='" + eventId + "']");
        setup().until(ExpectedConditions.presenceOfElementLocated(card));
        assertEquals(true, browser.findElement(card).getText().contains("216 of 216 left"), browser.findElement(card).getText());
        long listReads = listReads();

        TestApi.Response held = api.post("/api/events/" + eventId + "/reservations", api.demoToken(8, "buyer"),
                "{\"section\": \"A\", \"subsection\": 1, \"quantity\": 2}");
        assertEquals(201, held.status(), held::toString);
        setup().until(d -> d.findElement(card).getText().contains("214 of 216 left"));

        TestApi.Response ended = api.send("PATCH", "/api/events/" + eventId, seller, "{\"status\": \"ended\"}");
        assertEquals(200, ended.status(), ended::toString);
        setup().until(ExpectedConditions.numberOfElementsToBe(card, 0));
        assertEquals(listReads, listReads(), "the list is live from the stream: no GET /events meanwhile");
    }

    @Test
    void sellerCreatesAnEventWithTheForm() throws Exception {
        browser.switchTo().newWindow(WindowType.TAB);
        browser.get(page.app().uri().toString());
        setup().until(ExpectedConditions.elementToBeClickable(By.id("role-seller"))).click();
        setup().until(ExpectedConditions.elementToBeClickable(By.id("new-event"))).click();
        setup().until(ExpectedConditions.visibilityOfElementLocated(By.id("create-form")));

        browser.findElement(By.id("cf-submit")).click();
        setup().until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#create-form .field-error[data-field='name']"), "name"));

        browser.findElement(By.id("cf-name")).sendKeys("Jazz Night");
        browser.findElement(By.id("cf-venue")).sendKeys("Blue Room");
        browser.findElement(By.id("cf-rows")).clear();
        browser.findElement(By.id("cf-rows")).sendKeys("4");
        browser.findElement(By.id("cf-cols")).clear();
        browser.findElement(By.id("cf-cols")).sendKeys("5");
        browser.findElement(By.id("cf-max-per-buyer")).sendKeys("2");
        screenshot("create-form.png");
        browser.findElement(By.id("cf-submit")).click();

        // Two default sections, A with 2 subsections and B with 1: 4 × 5 × 3 seats.
        setup().until(d -> d.getCurrentUrl().matches(".*#/events/\\d+")
                && "60".equals(d.findElement(By.id("stat-total")).getDomAttribute("data-value")));
        awaitLive();
        assertEquals("Jazz Night", browser.findElement(By.id("ev-name")).getText());
        assertEquals(3, browser.findElements(By.cssSelector("#subsection-tabs .sub-tab")).size());
        assertEquals(20, browser.findElements(By.cssSelector("#seat-map .seat")).size());
        assertEquals("event.created", browser.findElement(By.id("last-event")).getDomAttribute("data-type"));
        assertEquals("2", browser.findElement(By.id("ev-rules")).getDomAttribute("data-max"));
        assertEquals("Limit: 2 seats per buyer, counting held and bought seats.",
                browser.findElement(By.id("ev-rules")).getText());

        // The seller raises the limit to 3; a buyer asking for 4 is told why nothing was held.
        WebElement limit = browser.findElement(By.id("seller-max-per-buyer"));
        limit.clear();
        limit.sendKeys("3");
        browser.findElement(By.cssSelector("#seller-actions [data-action='Set limit']")).click();
        setup().until(d -> "3".equals(d.findElement(By.id("ev-rules")).getDomAttribute("data-max")));
        String eventUrl = browser.getCurrentUrl();
        String seller = browser.findElement(By.id("user-id")).getDomProperty("value");
        actAsBuyer7();
        WebElement quantity = browser.findElement(By.id("best-qty"));
        quantity.clear();
        quantity.sendKeys("4");
        browser.findElement(By.id("reserve-best")).click();
        setup().until(ExpectedConditions.textToBePresentInElementLocated(By.id("toast"),
                "Not held: this event allows at most 3 seats per buyer, counting the seats you hold and have bought."));
        assertEquals("0", browser.findElement(By.id("stat-allocated")).getDomAttribute("data-value"));
        screenshot("limit-exceeded.png");

        setup().until(ExpectedConditions.elementToBeClickable(By.id("role-seller"))).click();
        WebElement sellerId = browser.findElement(By.id("user-id"));
        if (!seller.equals(sellerId.getDomProperty("value"))) {
            sellerId.clear();
            sellerId.sendKeys(seller + "\n");
        }
        setup().until(d -> d.getCurrentUrl().equals(eventUrl));
        setup().until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("#seller-actions [data-action='End sales']"))).click();
        setup().until(d -> "ended".equals(d.findElement(By.id("ev-status")).getDomAttribute("data-status"))
                && "event.status_changed".equals(d.findElement(By.id("last-event")).getDomAttribute("data-type")));
    }

    @Test
    void pageShowsReconnectingWhileTheServerIsGoneAndResyncsWhenItIsBack() throws Exception {
        ExampleServer first = PageUnderTest.startApp();
        int port = first.uri().getPort();
        String eventUrl;
        try {
            TestApi firstApi = new TestApi(first.uri());
            long id = firstApi.createGala(firstApi.demoToken(3, "seller"));
            eventUrl = first.uri().resolve("/#/events/" + id).toString();
            browser.switchTo().newWindow(WindowType.TAB);
            browser.get(eventUrl);
            actAsBuyer7();
        } finally {
            first.close();
        }
        setup().until(d -> "reconnecting".equals(d.findElement(By.id("connection-state")).getDomAttribute("data-state")));
        assertEquals("Reconnecting…", browser.findElement(By.id("connection-state")).getText());

        // A new node on the same port with the same event (a fresh in-memory store, so id 1 again) and a held seat.
        try (ExampleServer second = ExampleServer.start(ExampleConfig.parse(
                List.of("--host", "127.0.0.1", "--port", Integer.toString(port)), Map.of()))) {
            TestApi secondApi = new TestApi(second.uri());
            long id = secondApi.createGala(secondApi.demoToken(3, "seller"));
            assertEquals(eventUrl, second.uri().resolve("/#/events/" + id).toString());
            assertEquals(201, secondApi.post("/api/events/" + id + "/reservations", secondApi.demoToken(8, "buyer"),
                    "{\"section\": \"A\", \"subsection\": 1, \"quantity\": 1}").status());
            setup().until(d -> "open".equals(d.findElement(By.id("connection-state")).getDomAttribute("data-state"))
                    && "1".equals(d.findElement(By.id("stat-allocated")).getDomAttribute("data-value"))
                    && "reserved".equals(seat(1, 6).getDomAttribute("data-status"))); // best: row 1, nearest its middle
        }
    }

    @Test
    void withASecretThePageAsksForATokenInsteadOfDemoIdentities() throws Exception {
        try (ExampleServer secured = PageUnderTest.startApp("--jwt-secret", JwtTokensTest.SECRET)) {
            browser.switchTo().newWindow(WindowType.TAB);
            browser.get(secured.uri().toString());
            setup().until(ExpectedConditions.visibilityOfElementLocated(By.id("token-form")));
            assertEquals(false, browser.findElement(By.id("identity")).isDisplayed());
            assertEquals(false, browser.findElement(By.id("demo-banner")).isDisplayed());
            assertEquals("Not signed in", browser.findElement(By.id("token-who")).getText());

            String token = new JwtTokens(JwtTokensTest.SECRET).issue(User.seller(5), Duration.ofMinutes(5));
            browser.findElement(By.id("token-input")).sendKeys(token + "\n");
            setup().until(ExpectedConditions.textToBe(By.id("token-who"), "Signed in as seller #5"));
            setup().until(ExpectedConditions.visibilityOfElementLocated(By.id("new-event")));
        }
    }

    /** Identity is kept per browser profile, which the tests share; demo mode starts as buyer 7. */
    private void actAsBuyer7() {
        selectBuyer7();
        awaitLive();
    }

    private void selectBuyer7() {
        setup().until(ExpectedConditions.elementToBeClickable(By.id("role-buyer"))).click();
        WebElement userId = browser.findElement(By.id("user-id"));
        if (!"7".equals(userId.getDomProperty("value"))) {
            userId.clear();
            userId.sendKeys("7\n");
        }
        setup().until(d -> "true".equals(d.findElement(By.id("role-buyer")).getDomAttribute("aria-pressed"))
                && "7".equals(d.findElement(By.id("user-id")).getDomProperty("value")));
    }

    /** The public list as buyer 7. */
    private void actAsBuyer7OnTheList() {
        selectBuyer7();
        setup().until(d -> d.findElement(By.id("view-list")).isDisplayed());
    }

    /** How many times the current page read the list of events ({@code GET /api/events?…}). */
    private long listReads() {
        return ((Number) browser.executeScript("performance.setResourceTimingBufferSize(100000);"
                + " return performance.getEntriesByType('resource').filter(e => e.initiatorType === 'fetch'"
                + " && e.name.includes('/api/events?')).length;")).longValue();
    }

    /**
     * How many requests the current page made with {@code fetch} (Resource Timing lists every one; the
     * stream itself is not among them until it ends).
     */
    private long pageRequests() {
        return ((Number) browser.executeScript("performance.setResourceTimingBufferSize(100000);"
                + " return performance.getEntriesByType('resource').filter(e => e.initiatorType === 'fetch').length;"))
                .longValue();
    }

    private void awaitLive() {
        setup().until(d -> "open".equals(d.findElement(By.id("connection-state")).getDomAttribute("data-state"))
                && "true".equals(d.findElement(By.id("seat-map")).getDomAttribute("data-loaded")));
    }

    private WebElement seat(int row, int seat) {
        return browser.findElement(By.cssSelector("#seat-map .seat[data-row='" + row + "'][data-seat='" + seat + "']"));
    }

    private static WebDriverWait live() {
        return page.waitUpTo(LIVE_WITHIN);
    }

    private static WebDriverWait setup() {
        return page.waitUpTo(PATIENCE);
    }

    private void screenshot(String name) throws Exception {
        Path file = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.createDirectories(SCREENSHOTS);
        Files.copy(file, SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
