package io.ticketing.examples;

import static io.ticketing.examples.PageUnderTest.PATIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The home page's own live panel in headless Chromium, fed by {@code /api/me/stream}: a buyer's holds
 * (made anywhere) with a countdown that runs on the server's clock, the "expires soon" warning and the
 * hold leaving once expired, confirming from the panel; a seller's dashboard of all their events that
 * follows a buyer's reservation and a newly created event, and their own events list kept live by the same
 * stream, read once and never polled.
 */
class MePanelIT {
    /** A clock an hour fast: without the server's clock, every countdown would show 0:00. */
    private static final String CLOCK_AN_HOUR_FAST = """
            (() => { const realNow = Date.now; Date.now = () => realNow.call(Date) + 3600 * 1000; })();
            """;

    @RegisterExtension
    static final PageUnderTest page = new PageUnderTest(1280, 1000);

    private final TestApi api = page.api();
    private final ChromeDriver browser = page.browser();

    @Test
    void holdsMadeAnywhereShowWithACountdownOnTheServersClockAndConfirmFromThePanel() {
        String buyer = api.demoToken(21, "buyer");
        long eventId = api.createGala(api.demoToken(3, "seller"));
        String before = reserve(page.app(), buyer, eventId, 1, 1);

        browser.switchTo().newWindow(WindowType.WINDOW);
        browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", CLOCK_AN_HOUR_FAST));
        browser.get(page.app().uri().toString());
        actAs("buyer", 21);
        WebElement first = page.waitUpTo(PATIENCE).until(d -> hold(before));
        assertEquals("held", first.getDomAttribute("data-status"));
        assertEquals(String.valueOf(eventId), first.getDomAttribute("data-event-id"));
        page.waitUpTo(PATIENCE).until(d -> hold(before).getText().contains("Spring Gala"));
        assertTrue(hold(before).getText().contains("$45.00"), hold(before).getText());
        assertTrue(hold(before).getText().contains("A1 R1·1"), hold(before).getText());
        int shown = secondsLeft(before);
        assertTrue(shown > 500 && shown <= 600, "a 10-minute hold on a clock an hour fast shows " + shown + " s");
        page.waitUpTo(PATIENCE).until(d -> secondsLeft(before) < shown);

        // A hold made through the REST API, as from another browser, shows while the page is open.
        String other = reserve(page.app(), buyer, eventId, 1, 2);
        page.waitUpTo(PATIENCE).until(d -> "held".equals(hold(other).getDomAttribute("data-status")));

        hold(other).findElement(By.cssSelector("[data-action='confirm']")).click();
        page.waitUpTo(PATIENCE).until(d -> "confirmed".equals(hold(other).getDomAttribute("data-status")));
        assertEquals("confirmed", api.get("/api/reservations/" + other, buyer).json().get("status").asText());
        page.waitUpTo(PATIENCE).until(d -> d.findElements(By.cssSelector(holdSelector(other))).isEmpty());
        assertEquals("held", hold(before).getDomAttribute("data-status"));
        assertEquals(1, browser.findElements(By.cssSelector("#my-holds .hold")).size());
    }

    @Test
    void aShortHoldIsWarnedAboutThenLeavesAsExpired() throws Exception {
        try (ExampleServer shortHolds = PageUnderTest.startApp("--hold-seconds", "12",
                "--expiring-lead-seconds", "8")) {
            TestApi shortApi = new TestApi(shortHolds.uri());
            long eventId = shortApi.createGala(shortApi.demoToken(3, "seller"));
            browser.switchTo().newWindow(WindowType.WINDOW);
            browser.get(shortHolds.uri().toString());
            actAs("buyer", 22);

            String id = reserve(shortHolds, shortApi.demoToken(22, "buyer"), eventId, 2, 2);
            page.waitUpTo(PATIENCE).until(d -> "true".equals(hold(id).getDomAttribute("data-expiring")));
            page.waitUpTo(PATIENCE).until(ExpectedConditions.textToBePresentInElementLocated(By.id("my-holds-alert"),
                    "Your hold of 1 seat for Spring Gala expires in about"));
            assertEquals("assertive", browser.findElement(By.id("my-holds-alert")).getDomAttribute("aria-live"));
            page.waitUpTo(PATIENCE).until(d -> "expired".equals(hold(id).getDomAttribute("data-status")));
            page.waitUpTo(PATIENCE).until(d -> d.findElements(By.cssSelector(holdSelector(id))).isEmpty());
        }
    }

    @Test
    void aSellersDashboardShowsAllTheirEventsLiveOnOneStream() {
        String seller = api.demoToken(31, "seller");
        long onSale = api.createGala(seller);
        TestApi.Response draft = api.post("/api/events", seller,
                TestApi.GALA.replaceFirst("\\{", "{\"status\": \"draft\", ").replace("Spring Gala", "Autumn Draft"));
        assertEquals(201, draft.status(), draft::toString);
        long draftId = draft.json().get("id").asLong();

        browser.switchTo().newWindow(WindowType.WINDOW);
        browser.get(page.app().uri().toString());
        actAs("seller", 31);
        page.waitUpTo(PATIENCE).until(d -> d.findElements(By.cssSelector("#dashboard-rows tr")).size() == 2
                && row(onSale).getText().contains("Spring Gala") && row(draftId).getText().contains("Autumn Draft"));
        assertEquals("216", field(onSale, "remaining"));
        assertEquals("draft", row(draftId).findElement(By.cssSelector(".badge")).getDomAttribute("data-status"));

        reserve(page.app(), api.demoToken(23, "buyer"), onSale, 3, 3);
        page.waitUpTo(PATIENCE).until(d -> "1".equals(field(onSale, "allocated"))
                && "215".equals(field(onSale, "remaining"))
                && "buyer:23".equals(row(onSale).findElement(By.cssSelector(".dashboard-last"))
                        .getDomAttribute("data-actor")));
        assertEquals("216", field(onSale, "total"));
        assertEquals("0", field(onSale, "confirmed"));
        assertEquals("216", field(draftId, "remaining"));

        long later = api.createGala(seller);
        page.waitUpTo(PATIENCE).until(d -> d.findElements(By.cssSelector("#dashboard-rows tr")).size() == 3
                && "216".equals(field(later, "remaining")));
        assertEquals(String.valueOf(later),
                browser.findElement(By.cssSelector("#dashboard-rows tr")).getDomAttribute("data-event-id"), "newest first");
    }

    @Test
    void aSellersOwnListFollowsTheirStreamWithoutPolling() {
        String seller = api.demoToken(32, "seller");
        long onSale = api.createGala(seller);
        browser.switchTo().newWindow(WindowType.WINDOW);
        browser.get(page.app().uri().toString());
        actAs("seller", 32);
        page.waitUpTo(PATIENCE).until(ExpectedConditions.elementToBeClickable(By.id("tab-mine"))).click();
        page.waitUpTo(PATIENCE).until(d -> "open".equals(d.findElement(By.id("list-state")).getDomAttribute("data-state"))
                && card(onSale).getText().contains("216 of 216 left"));

        reserve(page.app(), api.demoToken(24, "buyer"), onSale, 4, 4);
        page.waitUpTo(PATIENCE).until(d -> card(onSale).getText().contains("215 of 216 left"));
        long later = api.createGala(seller);
        page.waitUpTo(PATIENCE).until(d -> card(later).getText().contains("216 of 216 left"));
        assertEquals(String.valueOf(later),
                browser.findElement(By.cssSelector("#event-list .event-card")).getDomAttribute("data-event-id"), "newest first");
        assertEquals(1L, ownListReads(), "the list was read once; every change came from the stream");
    }

    /** Switches the page's identity (demo mode) and waits for its own stream to be open. */
    private void actAs(String role, long userId) {
        page.waitUpTo(PATIENCE).until(ExpectedConditions.elementToBeClickable(By.id("role-" + role))).click();
        browser.executeScript("const input = document.getElementById('user-id'); input.value = arguments[0];"
                + " input.dispatchEvent(new Event('change'));", String.valueOf(userId));
        String state = "buyer".equals(role) ? "my-holds-state" : "dashboard-state";
        page.waitUpTo(PATIENCE).until(d -> "true".equals(d.findElement(By.id("role-" + role))
                        .getDomAttribute("aria-pressed"))
                && String.valueOf(userId).equals(d.findElement(By.id("user-id")).getDomProperty("value"))
                && "open".equals(d.findElement(By.id(state)).getDomAttribute("data-state")));
    }

    /** Holds seat {@code row}/{@code seat} of A1 through the REST API; returns the reservation id. */
    private static String reserve(ExampleServer server, String buyer, long eventId, int row, int seat) {
        TestApi.Response held = new TestApi(server.uri()).post("/api/events/" + eventId + "/reservations", buyer,
                "{\"seats\": [{\"section\": \"A\", \"subsection\": 1, \"row\": " + row + ", \"seat\": " + seat + "}]}");
        assertEquals(201, held.status(), held::toString);
        return held.json().get("id").asText();
    }

    private static String holdSelector(String reservationId) {
        return "#my-holds .hold[data-reservation-id='" + reservationId + "']";
    }

    private WebElement hold(String reservationId) {
        return browser.findElement(By.cssSelector(holdSelector(reservationId)));
    }

    private int secondsLeft(String reservationId) {
        WebElement countdown = hold(reservationId).findElement(By.cssSelector(".countdown"));
        return Integer.parseInt(countdown.getDomAttribute("data-seconds"));
    }

    private WebElement card(long eventId) {
        return browser.findElement(By.cssSelector("#event-list .event-card[data-event-id='" + eventId + "']"));
    }

    /** How many times the current page read the seller's own list ({@code GET /api/events?sellerId=…}). */
    private long ownListReads() {
        return ((Number) browser.executeScript("performance.setResourceTimingBufferSize(100000);"
                + " return performance.getEntriesByType('resource').filter(e => e.initiatorType === 'fetch'"
                + " && e.name.includes('/api/events?sellerId=')).length;")).longValue();
    }

    private WebElement row(long eventId) {
        return browser.findElement(By.id("dashboard-event-" + eventId));
    }

    private String field(long eventId, String name) {
        return row(eventId).findElement(By.cssSelector("td[data-field='" + name + "']")).getDomAttribute("data-value");
    }
}
