package io.elektron.model.metrics;

/** Precision, recall and F1 averaged over labels one way (micro, macro or weighted). */
public record AveragedScores(double precision, double recall, double f1) {}
