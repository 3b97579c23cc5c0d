import { DataSource } from 'typeorm';
import { loadConfig } from '../../config/app-config.js';
import { buildDataSourceOptions } from './data-source.js';

/**
 * The TypeORM CLI's DataSource (`npm run migration:run`): DB_CONNECTION_STRING, or the embedded
 * server's address while `npm start` runs it without a connection string.
 */
const config = loadConfig();
const url =
  config.database.url ??
  `postgresql://postgres:postgres@127.0.0.1:${config.database.embeddedPort}/scheduler`;

export default new DataSource({
  ...buildDataSourceOptions({ database: { ...config.database, url } }),
  entities: ['dist/src/**/*.entity.js'],
});
