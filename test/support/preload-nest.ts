/**
 * Evaluates @nestjs/common and @nestjs/core (ES modules) before any test file. @nestjs/throttler
 * is CommonJS and require()s both; Jest evaluates a CommonJS dependency while it is still
 * linking the importing ES module graph, and refuses a require() of an ES module that is itself
 * still linking as a cycle. Node evaluates the graph in import order and has no such problem.
 */
import '@nestjs/common';
import '@nestjs/core';
