package io.ticketing.core.model;

/** One seat of an event with its current status. Never says who holds it. */
public record Seat(long id, int row, int seat, long price, SeatStatus status) {
}
