import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import type { PortAdapter } from './port-token.ts';
import type { RdsPort } from './rds-port.ts';

export const rdsAdapter: PortAdapter<RdsPort> = {
  create: (config) => {
    const client = new RDSClient(config);
    return {
      async describeDbInstance(identifier) {
        try {
          const response = await client.send(
            new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }),
          );
          const db = response.DBInstances?.[0];
          if (!db) return undefined;
          return {
            identifier,
            ...(db.AllocatedStorage !== undefined ? { allocatedStorage: db.AllocatedStorage } : {}),
            ...(db.MaxAllocatedStorage !== undefined ? { maxAllocatedStorage: db.MaxAllocatedStorage } : {}),
            ...(db.DBInstanceClass ? { instanceClass: db.DBInstanceClass } : {}),
            ...(db.EngineVersion ? { engineVersion: db.EngineVersion } : {}),
          };
        } catch (error) {
          if ((error as { name?: string }).name === 'DBInstanceNotFoundFault') return undefined;
          throw error;
        }
      },
    };
  },
};
